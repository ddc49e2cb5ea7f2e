package dev.tandem.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON mapper every capability shares: ISO-8601 instants, no surprises. It is configured
 * once here and never changed afterwards, which is what makes one instance safe to share across threads.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
