package dev.tandem.feed;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where a subscription may post, and how its URL is shown. A webhook URL is a secret (a Slack
 * incoming webhook's path is its key), so only its scheme, host and port are ever shown or logged.
 * And a subscriber is somebody outside: unless the server setting {@code subscriptionsAllowPrivate}
 * says otherwise, a URL whose host resolves to an address inside this network (loopback, private,
 * shared, link-local such as the cloud metadata service at 169.254.169.254, unique-local, multicast,
 * unspecified) is refused, at subscription and again before every delivery, since the name may
 * resolve elsewhere by then.
 */
final class ReceiverAddress {
    private ReceiverAddress() {}

    /** {@code scheme://host[:port]} of {@code url}, never its user, path or query. */
    static String redacted(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "(an invalid URL)";
        }
    }

    /**
     * Why Tandem must not post to {@code url}'s host: the first internal address it resolves to, or
     * that it does not resolve. Empty when every address is public, or when private ones are allowed.
     */
    static Optional<String> refusal(String url, boolean allowPrivate) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = URI.create(url).getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Optional.of("its host " + host + " does not resolve");
        }
        for (InetAddress a : addresses) {
            String kind = internal(a);
            if (kind != null) {
                return Optional.of("its host " + host + " resolves to " + a.getHostAddress() + ", " + kind
                        + " address inside this network");
            }
        }
        return Optional.empty();
    }

    /** What kind of internal address {@code a} is, or null for a public one. */
    private static String internal(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "a loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (a.isLinkLocalAddress()) {
            return "a link-local (cloud metadata)";
        }
        if (a.isMulticastAddress()) {
            return "a multicast";
        }
        if (a.isSiteLocalAddress()) {
            return "a private";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0 || first == 255) {
                return "a reserved";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "a shared (carrier-grade NAT)";
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return "a benchmarking";
            }
        }
        if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
            return "a unique-local";
        }
        return null;
    }
}
