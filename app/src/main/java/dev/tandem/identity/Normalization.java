package dev.tandem.identity;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;

/** How raw values of an identifier type are made comparable before matching. */
enum Normalization {
    /** Trimmed and lower-cased; must look like {@code local@domain}. */
    EMAIL,
    /** E.164 via libphonenumber, numbers without a country code read in the default region; must be a valid number. */
    PHONE,
    /** Trimmed. */
    ID;

    private static final int MAX_LENGTH = 512;
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** The normalised value, or null when the raw value is empty or not a valid value of this kind. */
    String normalize(String raw, String defaultRegion) {
        String value = raw.trim();
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            return null;
        }
        return switch (this) {
            case ID -> value;
            case EMAIL -> {
                String email = value.toLowerCase(Locale.ROOT);
                int at = email.indexOf('@');
                yield at > 0 && at < email.length() - 1 && at == email.lastIndexOf('@') && email.indexOf(' ') < 0
                        ? email
                        : null;
            }
            case PHONE -> phone(value, defaultRegion);
        };
    }

    private static String phone(String value, String region) {
        try {
            PhoneNumber number = PHONES.parse(value, region);
            return PHONES.isValidNumber(number) ? PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }

    /** True when libphonenumber knows the region code, such as {@code US} or {@code DE}. */
    static boolean knownRegion(String region) {
        return PHONES.getSupportedRegions().contains(region);
    }

    static Normalization named(String name) {
        return switch (name) {
            case "email" -> EMAIL;
            case "phone" -> PHONE;
            case "id" -> ID;
            default -> null;
        };
    }
}
