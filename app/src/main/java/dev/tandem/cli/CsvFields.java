package dev.tandem.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of a row and the fields of a CSV row, as RFC 4180 writes them: a field in double quotes
 * may hold the delimiter, line breaks and doubled quotes ({@code ""}); a quote inside an unquoted
 * field is kept as it is. Text after a closing quote is refused, as is text that is not UTF-8.
 */
final class CsvFields {
    private CsvFields() {}

    /** The row's bytes as text; refuses bytes that are not UTF-8, naming the first bad byte. */
    static String text(byte[] bytes) {
        String fast = new String(bytes, StandardCharsets.UTF_8);
        // Why: the JDK's own decoding is several times faster than a CharsetDecoder, and it writes
        // U+FFFD for every bad byte; only a row that shows one is decoded again strictly.
        if (fast.indexOf('\uFFFD') < 0) {
            return fast;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (MalformedInputException e) {
            int at = firstBad(bytes);
            throw new RowRefused(
                    "invalid_utf8",
                    "The row is not valid UTF-8 (byte " + (at + 1) + " of the row is 0x"
                            + String.format("%02X", bytes[at] & 0xFF)
                            + "); save the file as UTF-8 and import it again.",
                    null);
        } catch (CharacterCodingException e) {
            throw new RowRefused("invalid_utf8", "The row is not valid UTF-8; save the file as UTF-8.", null);
        }
    }

    private static int firstBad(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        decoder.decode(in, out, true);
        return Math.min(in.position(), bytes.length - 1);
    }

    /** The fields of one CSV row. */
    static List<String> split(String row, char delimiter) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = row.length();
        while (true) {
            field.setLength(0);
            if (i < n && row.charAt(i) == '"') {
                int opened = i++;
                while (true) {
                    if (i >= n) {
                        throw new RowRefused(
                                "malformed_quotes",
                                "The quoted field that starts at character " + (opened + 1)
                                        + " has no closing quote; close it, or double the quotes inside it (\"\").",
                                null);
                    }
                    char c = row.charAt(i++);
                    if (c == '"') {
                        if (i < n && row.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < n && row.charAt(i) != delimiter) {
                    throw new RowRefused(
                            "malformed_quotes",
                            "Column " + (fields.size() + 1) + " has text after its closing quote (character " + (i + 1)
                                    + "); quote the whole field and double the quotes inside it (\"\").",
                            null);
                }
            } else {
                while (i < n && row.charAt(i) != delimiter) {
                    field.append(row.charAt(i++));
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields;
            }
            i++;
            if (i == n) {
                fields.add("");
                return fields;
            }
        }
    }
}
