package dev.tandem.govern;

import java.util.List;

/**
 * One privacy request as stored: its OpenDSR id and type ({@code access}, {@code portability} or
 * {@code erasure}), status ({@code pending}, {@code completed}), times in epoch milliseconds, the
 * subject's identities as SHA-256 only, the profiles found when it arrived, and the inbox seq by
 * which every event of the subject accepted before it is applied (it runs once the processor
 * passed it). {@code result} says what was done, in counts.
 */
public record PrivacyRequest(String id, String type, String status, Times times, String identities, List<Long> profiles,
        long watermark, String result) {

    /** When it was submitted by the subject, received by Tandem, is due, and was completed (0 while not). */
    public record Times(long submitted, long received, long due, long completed) {}

    boolean erasure() {
        return type.equals("erasure");
    }
}
