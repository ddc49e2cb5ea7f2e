package dev.tandem.retain;

import dev.tandem.collect.Retention;
import dev.tandem.collect.Source;
import dev.tandem.collect.SourceDeclaration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Each source's retention by name, as tandem.yaml declares it; a source made through the API has the defaults. */
final class Retentions {
    private final Map<String, Retention> byName = new HashMap<>();

    Retentions(List<SourceDeclaration> declared) {
        declared.forEach(d -> byName.put(d.name(), d.retention()));
    }

    Retention of(Source source) {
        return byName.getOrDefault(source.name(), Retention.DEFAULTS);
    }
}
