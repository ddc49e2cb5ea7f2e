package dev.tandem.expr;

import dev.cel.common.exceptions.CelAttributeNotFoundException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.StructValue;
import java.util.Map;
import java.util.Optional;

/**
 * A variable's map whose values are already as CEL reads them ({@link Facts} converted them once
 * for the profile or request), handed to CEL so that it does not convert them again.
 *
 * <p>Why: CEL's planner adapts a plain {@code Map} variable on every read of it, walking every
 * entry (and every nested one) to check that it is in CEL's form; with 200 audience conditions
 * reading {@code traits} and {@code computed} of one profile that walk was a seventh of their
 * evaluation. A {@link StructValue} (CEL's documented way to wrap a native map or object) is taken
 * as it is: selecting a key ({@code traits.plan}, {@code has(traits.plan)}) reads one entry, and
 * a read of the whole map ({@code "plan" in traits}, {@code size(traits)}, comprehensions) gets
 * the plain map back, so every expression means what it meant with the plain map. A missing key
 * fails with CEL's own error for a map, word for word. The map must not hold null values (JSON
 * null is CEL's {@code null}, a value) and must not change once handed over.
 */
final class CelMap extends StructValue<String, Map<String, Object>> {
    private static final CelType TYPE = MapType.create(SimpleType.STRING, SimpleType.DYN);

    private final Map<String, Object> values;

    private CelMap(Map<String, Object> values) {
        this.values = values;
    }

    @SuppressWarnings("unchecked")
    static CelMap of(Map<String, ?> values) {
        return new CelMap((Map<String, Object>) values);
    }

    @Override
    public Map<String, Object> value() {
        return values;
    }

    @Override
    public boolean isZeroValue() {
        return values.isEmpty();
    }

    @Override
    public CelType celType() {
        return TYPE;
    }

    @Override
    public Object select(String field) {
        Object v = values.get(field);
        if (v != null) {
            return v;
        }
        throw CelAttributeNotFoundException.forMissingMapKey(field);
    }

    @Override
    public Optional<Object> find(String field) {
        return Optional.ofNullable(values.get(field));
    }
}
