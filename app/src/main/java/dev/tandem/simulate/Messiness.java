package dev.tandem.simulate;

import java.util.Locale;
import java.util.random.RandomGenerator;

/** The ways real forms and systems garble identifiers: case, spaces, phone formats, placeholders. */
final class Messiness {
    /** Values that forms send for everyone; they belong to nobody. */
    static final String[] PLACEHOLDER_EMAILS = {"test@test.com", "noemail@example.com", "none@none.com"};

    static final String[] PLACEHOLDER_PHONES = {"0000000000", "000-000-0000", "1111111111"};

    private Messiness() {}

    static String email(String email, RandomGenerator random) {
        return switch (random.nextInt(6)) {
            case 0 -> email.toUpperCase(Locale.ROOT);
            case 1 -> " " + email + " ";
            case 2 -> Character.toUpperCase(email.charAt(0)) + email.substring(1);
            default -> email;
        };
    }

    static String phone(String digits, RandomGenerator random) {
        String area = digits.substring(0, 3);
        String exchange = digits.substring(3, 6);
        String line = digits.substring(6);
        return switch (random.nextInt(5)) {
            case 0 -> "+1" + digits;
            case 1 -> "(" + area + ") " + exchange + "-" + line;
            case 2 -> area + "-" + exchange + "-" + line;
            case 3 -> "+1 " + area + " " + exchange + " " + line;
            default -> digits;
        };
    }

    static String placeholderEmail(RandomGenerator random) {
        return PLACEHOLDER_EMAILS[random.nextInt(PLACEHOLDER_EMAILS.length)];
    }

    static String placeholderPhone(RandomGenerator random) {
        return PLACEHOLDER_PHONES[random.nextInt(PLACEHOLDER_PHONES.length)];
    }
}
