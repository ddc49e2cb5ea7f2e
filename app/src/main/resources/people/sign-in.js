// The sign-in page: sets a password from a one-time link (?link=...), then signs in; or signs in.
(function () {
  var link = new URLSearchParams(location.search).get('link');
  // where the console sent the visitor from: a path on this site only, never another site's address
  var next = new URLSearchParams(location.search).get('next');
  if (!next || next.charAt(0) !== '/' || next.charAt(1) === '/' || next.charAt(1) === '\\') { next = null; }
  // a browser drops tabs and newlines when it parses an address (/<tab>/evil.example is //evil.example):
  // what counts is where the address leads once parsed
  if (next) {
    var target = new URL(next, location.origin);
    next = target.origin === location.origin ? target.pathname + target.search + target.hash : null;
  }
  var message = document.getElementById('message');

  function show(text, isError) {
    message.textContent = text;
    message.className = isError ? 'error' : '';
  }

  function post(path, body) {
    return fetch(path, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      credentials: 'same-origin',
      body: JSON.stringify(body)
    }).then(function (r) {
      if (r.status === 204) { return {}; }
      return r.json().then(function (j) {
        if (!r.ok) { throw new Error((j.error && j.error.message) || ('Tandem answered ' + r.status)); }
        return j;
      });
    });
  }

  function signIn(name, password) {
    return post('/v1/session', {name: name, password: password}).then(function (me) {
      document.getElementById('choose').hidden = true;
      document.getElementById('sign-in').hidden = true;
      document.getElementById('title').textContent = 'Signed in';
      show('Signed in as ' + me.name + ' (' + me.role + ', ' + me.team + ').', false);
      if (next) { location.assign(next); }
    });
  }

  if (link) {
    // the link is a secret: keep it out of the address bar once read
    history.replaceState(null, '', location.pathname);
    document.getElementById('title').textContent = 'Welcome to Tandem';
    document.getElementById('choose').hidden = false;
    document.getElementById('choose').addEventListener('submit', function (e) {
      e.preventDefault();
      var password = document.getElementById('new-password').value;
      post('/v1/people/password', {link: link, password: password})
        .then(function () { return signIn(document.getElementById('new-name').value, password); })
        .catch(function (err) { show(err.message, true); });
    });
  } else {
    document.getElementById('sign-in').hidden = false;
    document.getElementById('sign-in').addEventListener('submit', function (e) {
      e.preventDefault();
      signIn(document.getElementById('name').value, document.getElementById('password').value)
        .catch(function (err) { show(err.message, true); });
    });
  }
})();
