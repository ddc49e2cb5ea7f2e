package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/**
 * Compiles the JSON Schemas of plans (draft 2020-12) with networknt's validator, set up so that a
 * schema stands alone: nothing is fetched from anywhere (remote references are refused before, by
 * {@link SchemaGuard}, and the loader fetches nothing besides), no schema is cached by location (two
 * plans' {@code #/$defs/x} never meet), and regular expressions run in linear time ({@link SafeRegex}).
 * A schema is compiled when its plan is loaded, never per event.
 */
final class Schemas {
    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private final SchemaRegistry registry;
    private final Schema meta;

    Schemas() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .regularExpressionFactory(SafeRegex.FACTORY)
                .build();
        registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaCacheEnabled(false)
                        .schemaLoader(loader -> loader.fetchRemoteResources(false))
                        .schemaRegistryConfig(config));
        meta = registry.getSchema(SchemaLocation.of(DIALECT));
        meta.initializeValidators();
    }

    /** Why {@code schema} is not a valid JSON Schema, in the meta-schema's words, or null. */
    String problem(JsonNode schema) {
        List<com.networknt.schema.Error> errors = meta.validate(schema);
        if (errors.isEmpty()) {
            return null;
        }
        com.networknt.schema.Error first = errors.get(0);
        String at = first.getInstanceLocation().toString();
        return "it is not a valid JSON Schema"
                + (at.isEmpty() || at.equals("$") ? "" : " at " + at)
                + ": " + first.getMessage();
    }

    /** The compiled schema, every reference resolved now rather than at the first event. */
    Schema compile(JsonNode schema) {
        Schema compiled = registry.getSchema(schema);
        compiled.initializeValidators();
        return compiled;
    }
}
