package dev.tandem.govern;

import java.util.List;

/**
 * One privacy request as stored: its OpenDSR id and type ({@code access}, {@code portability} or
 * {@code erasure}), status ({@code pending}, {@code in_progress} while an erasure's keys
 * are not all destroyed, {@code completed}), times in epoch milliseconds, the
 * subject's identities as SHA-256 only, the profiles found when it arrived, and the inbox seq by
 * which every event of the subject accepted before it is applied (it runs once the processor
 * passed it). {@code result} says what was done, in counts; {@code reason} why it is not completed
 * yet, such as an erasure waiting for its keys to be destroyed (null otherwise).
 */
public record PrivacyRequest(String id, String type, String status, Times times, String identities, List<Long> profiles,
        long watermark, String result, String reason) {

    /** When it was submitted by the subject, received by Tandem, is due, and was completed (0 while not). */
    public record Times(long submitted, long received, long due, long completed) {}

    boolean erasure() {
        return type.equals("erasure");
    }
}
