package dev.tandem.journey;

import java.util.Collection;

/**
 * Whether a profile enters a journey now, by its re-entry rule, and as which instance: the one
 * decision of an entry on an event, on an audience and on a schedule. {@code once} is one instance
 * per profile ever (per entry key with a keyed entry); {@code always} enters again once the
 * previous instance finished; {@code after} also needs the last entry to be that old.
 */
final class Admission {
    private Admission() {}

    /**
     * The instance entering, or null when the rule keeps the profile out.
     *
     * @param keyed    the value of an event entry's key, or null
     * @param repeat   what tells one repeated entry from the next: {@code "#" + seq} of the entering
     *                 event, or {@code "#s" + pass} of a scheduled pass
     * @param entrySeq the entering event's seq, or null for an entry on an audience or a schedule
     * @param existing the profile's instances (any journey)
     * @param pending  instances entering in the same write, not stored yet
     */
    static Instance admit(
            JourneyBook.Versioned v,
            long profile,
            String keyed,
            String repeat,
            Long entrySeq,
            Collection<Instance> existing,
            Entering pending,
            long now) {
        JourneyDefinition d = v.journey().definition();
        String entryKey;
        if (keyed != null) {
            entryKey = "k:" + keyed;
        } else if (d.reentry().rule().equals("once")) {
            entryKey = "";
        } else {
            entryKey = repeat;
            long last = 0;
            for (Instance i : existing) {
                if (i.journey().equals(d.key())) {
                    if (!i.finished()) {
                        return null; // one in flight: enter again once it is over
                    }
                    last = Math.max(last, i.enteredAt());
                }
            }
            if (pending.enters(d.key(), profile)) {
                return null;
            }
            if (d.reentry().rule().equals("after")
                    && last > 0
                    && now - last < d.reentry().after().toMillis()) {
                return null;
            }
        }
        for (Instance i : existing) {
            if (i.journey().equals(d.key()) && i.entryKey().equals(entryKey)) {
                return null;
            }
        }
        if (pending.contains(id(d.key(), profile, entryKey))) {
            return null;
        }
        boolean held = d.holdout() > 0 && Timing.bucket(d.key(), Long.toString(profile)) < d.holdout();
        return new Instance(
                0,
                d.key(),
                profile,
                entryKey,
                v.version(),
                "0",
                Instance.NEW,
                held,
                now,
                now,
                null,
                null,
                null,
                entrySeq);
    }

    /** What tells instances apart: journey, profile and entry key (the table's unique key). */
    static String id(String journey, long profile, String entryKey) {
        return journey + "|" + profile + "|" + entryKey;
    }
}
