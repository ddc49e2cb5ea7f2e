package dev.tandem.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Splits the values of an {@code IN (...)} list into pieces of at most {@value #SIZE}, one query
 * each: a list of thousands of parameters makes one statement that both databases plan and bind
 * slowly, and every batch lookup of the stages would otherwise repeat this loop.
 */
public final class InLists {
    public static final int SIZE = 500;

    private InLists() {}

    public static <T> List<List<T>> chunks(Collection<T> values) {
        List<T> all = List.copyOf(values);
        List<List<T>> chunks = new ArrayList<>((all.size() + SIZE - 1) / SIZE);
        for (int from = 0; from < all.size(); from += SIZE) {
            chunks.add(all.subList(from, Math.min(all.size(), from + SIZE)));
        }
        return chunks;
    }
}
