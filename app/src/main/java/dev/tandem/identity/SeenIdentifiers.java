package dev.tandem.identity;

/**
 * A Bloom filter over every stored identifier (its type and stored value, the token), so that an
 * identifier never seen needs no lookup: a new customer brings three or four identifiers, each of
 * which would otherwise cost one probe of the identity index just to learn it is absent.
 *
 * <p>It answers "maybe stored" or "certainly not stored". A false "maybe" costs the lookup it would
 * have cost anyway; a false "certainly not" would split a customer, so the filter only ever gains
 * values: a link is added when it is written (before its commit: a rolled-back one only makes a
 * false "maybe"), erased and replayed links stay in until the next rebuild. Why this holds: the
 * processor is the only writer of {@code identity_links} (as for the resolver's caches).
 *
 * <p>Sized at 10 bits a value with 7 probes (under 1% false "maybe" at capacity); past its capacity
 * the store rebuilds it twice as large from the table. Single-threaded, like the stages.
 */
final class SeenIdentifiers {
    private static final int PROBES = 7;
    private static final int BITS_PER_VALUE = 10;
    private static final long MIN_CAPACITY = 1 << 20;

    private final long[] words;
    private final long bits;
    private final long capacity;
    private long count;

    SeenIdentifiers(long expected) {
        this.capacity = Math.max(MIN_CAPACITY, expected * 2);
        long wanted = capacity * BITS_PER_VALUE;
        this.words = new long[(int) Math.min(Integer.MAX_VALUE - 8, (wanted + 63) / 64)];
        this.bits = words.length * 64L;
    }

    void add(String type, String stored) {
        long h = hash(type, stored);
        long h2 = (h >>> 32) | 1;
        for (int i = 0; i < PROBES; i++) {
            long bit = Math.floorMod(h + i * h2, bits);
            words[(int) (bit >>> 6)] |= 1L << bit;
        }
        count++;
    }

    /** False only when no value of this type and stored form was ever added. */
    boolean mayContain(String type, String stored) {
        long h = hash(type, stored);
        long h2 = (h >>> 32) | 1;
        for (int i = 0; i < PROBES; i++) {
            long bit = Math.floorMod(h + i * h2, bits);
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** True once more values were added than it was sized for: rebuild it larger. */
    boolean full() {
        return count > capacity;
    }

    long count() {
        return count;
    }

    /** FNV-1a over the type, a separator and the value, then a 64-bit finaliser to spread the bits. */
    private static long hash(String type, String stored) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < type.length(); i++) {
            h = (h ^ type.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0xff) * 0x100000001b3L;
        for (int i = 0; i < stored.length(); i++) {
            h = (h ^ stored.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe53aeb49L;
        h ^= h >>> 33;
        return h;
    }
}
