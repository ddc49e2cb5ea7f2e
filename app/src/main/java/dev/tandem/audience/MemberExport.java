package dev.tandem.audience;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every member of an audience as CSV, streamed page by page so an audience of millions needs no
 * more memory than a page: {@code profile_id,entered_at,user_id,email,phone,other_identifiers}
 * (several values of one type joined by {@code ;}; other identifiers as {@code type:value}).
 */
final class MemberExport {
    private static final int PAGE = 5_000;
    private static final List<String> COLUMNS = List.of("user_id", "email", "phone");

    private MemberExport() {}

    static void csv(Context ctx, Audience a, AudienceStore store, MemberIdentifiers identities) {
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + a.key() + ".csv\"");
        try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
            out.write("profile_id,entered_at,user_id,email,phone,other_identifiers\n");
            long after = 0;
            while (true) {
                List<AudienceStore.Member> page = store.members(a.id(), after, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                Map<Long, Map<String, List<String>>> ids = identities.of(
                        ctx, page.stream().map(AudienceStore.Member::profileId).toList());
                for (AudienceStore.Member m : page) {
                    Map<String, List<String>> mine = ids.getOrDefault(m.profileId(), Map.of());
                    StringBuilder row = new StringBuilder()
                            .append(m.profileId())
                            .append(',')
                            .append(AudienceRoutes.time(m.enteredAt()));
                    for (String type : COLUMNS) {
                        row.append(',').append(cell(String.join(";", mine.getOrDefault(type, List.of()))));
                    }
                    List<String> other = new ArrayList<>();
                    mine.forEach((type, values) -> {
                        if (!COLUMNS.contains(type)) {
                            values.forEach(v -> other.add(type + ":" + v));
                        }
                    });
                    out.write(row.append(',')
                            .append(cell(String.join(";", other)))
                            .append('\n')
                            .toString());
                }
                after = page.get(page.size() - 1).profileId();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing the member export failed: " + e.getMessage(), e);
        }
    }

    /**
     * A CSV cell, quoted when it holds a comma, a quote or a line break. A value a spreadsheet
     * would run as a formula (starting with {@code = + - @}, a tab or a carriage return) gets a
     * leading {@code '}, as OWASP advises: Excel, LibreOffice and Google Sheets then show it as
     * text, so {@code +14155550100} reads {@code '+14155550100} and still reads as a phone number.
     */
    static String cell(String raw) {
        String value = !raw.isEmpty() && "=+-@\t\r".indexOf(raw.charAt(0)) >= 0 ? "'" + raw : raw;
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
