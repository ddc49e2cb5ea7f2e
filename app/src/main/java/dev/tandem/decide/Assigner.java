package dev.tandem.decide;

import java.nio.charset.StandardCharsets;

/**
 * Picks an experiment arm from a stable hash of the experiment key and the subject, by weight: the
 * same subject always lands in the same arm, and over many subjects the arms fill in proportion
 * to their weights. Hand-written FNV-1a with a 64-bit finalizer: fast, and no dependency on a
 * hash library's version for assignments that must never change.
 */
final class Assigner {
    private Assigner() {}

    static Experiment.Arm arm(Experiment experiment, String subject) {
        long bucket = Long.remainderUnsigned(hash(experiment.key() + ":" + subject), experiment.totalWeight());
        for (Experiment.Arm arm : experiment.arms()) {
            bucket -= arm.weight();
            if (bucket < 0) {
                return arm;
            }
        }
        throw new IllegalStateException("weights changed under the assignment");
    }

    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        // FNV's low bits mix poorly; the finalizer spreads every input bit over the whole word
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
