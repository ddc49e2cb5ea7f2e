package dev.tandem.change;

import dev.tandem.audit.AuditKind;
import dev.tandem.audit.AuditLog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Each step of a change as an audit entry on {@code change:<id>}, with its kind, key, action, tier and status. */
final class ChangeAudit {
    private static final Logger log = LoggerFactory.getLogger(ChangeAudit.class);

    private final AuditLog audit;

    ChangeAudit(AuditLog audit) {
        this.audit = audit;
    }

    /** How the audit trail names an author: the person behind a token, else the caller. */
    static String actor(Change.Author author) {
        return author.person() != null ? "person:" + author.person() : author.caller();
    }

    void record(Change c, AuditKind kind, String actor, Map<String, ?> extra) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("kind", c.target().kind());
        detail.put("key", c.target().key());
        detail.put("action", c.target().action());
        detail.put("tier", c.assessment().tier().wireName());
        detail.put("status", c.status().wireName());
        detail.putAll(extra);
        try {
            audit.append(actor, kind, "change:" + c.id(), detail);
        } catch (RuntimeException e) {
            // the change stands; the log line keeps the record, and /ready reports the store
            log.atError().setCause(e).addKeyValue("change", c.id()).log("could not append a change to the audit log");
        }
    }
}
