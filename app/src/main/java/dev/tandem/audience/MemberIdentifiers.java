package dev.tandem.audience;

import dev.tandem.identity.IdentityLookup;
import dev.tandem.protect.ReadPolicy;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Members' identifiers by type, as the caller may see them: through the read policy, so personal ones can come back masked. */
record MemberIdentifiers(IdentityLookup identities, ReadPolicy reads) {
    Map<Long, Map<String, List<String>>> of(Context ctx, List<Long> profiles) {
        Map<Long, Map<String, List<String>>> out = new LinkedHashMap<>();
        identities.identifiersByType(profiles).forEach((profile, byType) -> {
            Map<String, List<String>> shown = new LinkedHashMap<>();
            byType.forEach((type, values) -> {
                List<String> visible = new ArrayList<>(values.size());
                for (String v : values) {
                    String s = reads.identifier(ctx, profile, type, v);
                    if (s != null) {
                        visible.add(s);
                    }
                }
                if (!visible.isEmpty()) {
                    shown.put(type, visible);
                }
            });
            out.put(profile, shown);
        });
        return out;
    }
}
