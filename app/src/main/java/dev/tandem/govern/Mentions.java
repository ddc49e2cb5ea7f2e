package dev.tandem.govern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.identity.Identifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a refused event, as it was received, names one of an erased subject's identifiers
 * however it was spelled. Each text or number of a JSON payload is normalised as identity
 * resolution normalises that type ({@code Ann@Example.COM} is {@code ann@example.com},
 * {@code (415) 555-0199} is {@code +14155550199}); an email is also found inside a longer text,
 * ignoring case, and a phone number written among other words. A payload that is not JSON is read
 * as one free text: any identifier in it, ignoring case, or a phone number in any format.
 */
final class Mentions implements Predicate<String> {
    /** A phone number as people write it: digits with spaces, dots, dashes, slashes or brackets, and maybe a leading '+'. */
    private static final Pattern PHONE_LIKE = Pattern.compile("\\+?\\(?\\d[\\d\\s().\\-/]{5,}\\d");

    private final List<Identifier> identifiers;
    private final Suppressions normalizer;
    private final ObjectMapper mapper;

    Mentions(List<Identifier> identifiers, Suppressions normalizer, ObjectMapper mapper) {
        this.identifiers = List.copyOf(identifiers);
        this.normalizer = normalizer;
        this.mapper = mapper;
    }

    @Override
    public boolean test(String payload) {
        JsonNode tree;
        try {
            tree = mapper.readTree(payload);
        } catch (JsonProcessingException notJson) {
            // the answer for malformed payloads: they are searched as free text
            return names(payload, true);
        }
        if (tree == null) {
            return names(payload, true);
        }
        Deque<JsonNode> open = new ArrayDeque<>();
        open.push(tree);
        while (!open.isEmpty()) {
            JsonNode node = open.pop();
            if (node.isContainerNode()) {
                node.forEach(open::push);
            } else if ((node.isTextual() || node.isNumber()) && names(node.asText(), false)) {
                return true;
            }
        }
        return false;
    }

    /** {@code free}: any identifier found inside the text counts, not only emails and phone numbers. */
    private boolean names(String text, boolean free) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (Identifier id : identifiers) {
            if (id.equals(normalizer.normalized(id.type(), text))) {
                return true;
            }
            if ((free || id.value().indexOf('@') > 0)
                    && lower.contains(id.value().toLowerCase(Locale.ROOT))) {
                return true;
            }
            if (id.value().startsWith("+") && phoneIn(text, id)) {
                return true;
            }
        }
        return false;
    }

    private boolean phoneIn(String text, Identifier phone) {
        Matcher m = PHONE_LIKE.matcher(text);
        while (m.find()) {
            if (phone.equals(normalizer.normalized(phone.type(), m.group()))) {
                return true;
            }
        }
        return false;
    }
}
