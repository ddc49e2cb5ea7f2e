package dev.tandem.protect;

/**
 * Finds payment card numbers in text: a run of 13 to 19 digits, optionally grouped by single
 * spaces or dashes, that starts like a card (2 to 6, as issuers' ranges do) and passes the Luhn
 * check. The first-digit rule keeps millisecond timestamps (which start with 1) out.
 */
final class Luhn {
    private Luhn() {}

    /** True when {@code text} holds a card number anywhere in it. */
    static boolean containsCard(CharSequence text) {
        int n = text.length();
        for (int start = 0; start < n; start++) {
            char c = text.charAt(start);
            if (c < '2' || c > '6' || (start > 0 && Character.isDigit(text.charAt(start - 1)))) {
                continue;
            }
            if (cardAt(text, start)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a card number of any valid length starts at {@code start}. */
    private static boolean cardAt(CharSequence text, int start) {
        int[] digits = new int[19];
        int count = 0;
        for (int i = start; i < text.length() && count < 19; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits[count++] = c - '0';
                boolean endsHere = i + 1 == text.length() || !Character.isDigit(text.charAt(i + 1));
                if (count >= 13 && endsHere && valid(digits, count)) {
                    return true;
                }
            } else if ((c == ' ' || c == '-')
                    && i + 1 < text.length()
                    && Character.isDigit(text.charAt(i + 1))
                    && count > 0) {
                continue;
            } else {
                break;
            }
        }
        return false;
    }

    static boolean valid(int[] digits, int count) {
        int sum = 0;
        boolean twice = false;
        for (int i = count - 1; i >= 0; i--) {
            int d = digits[i];
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
