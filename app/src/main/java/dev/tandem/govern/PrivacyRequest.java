package dev.tandem.govern;

import dev.tandem.config.WireName;
import java.util.Arrays;
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
record PrivacyRequest(
        String id,
        Type type,
        Status status,
        Times times,
        String identities,
        List<Long> profiles,
        long watermark,
        String result,
        String reason) {

    /** When it was submitted by the subject, received by Tandem, is due, and was completed (0 while not). */
    public record Times(long submitted, long received, long due, long completed) {}

    /** What the subject asks for, by its OpenDSR {@code subject_request_type}. */
    public enum Type implements WireName {
        ACCESS,
        PORTABILITY,
        ERASURE;

        static final List<String> WIRE_NAMES =
                Arrays.stream(values()).map(Type::wireName).toList();

        /** The type named in a request or a stored row, or null when the name is not one. */
        static Type named(String name) {
            return WireName.named(Type.class, name);
        }
    }

    /** Where the request stands, by its OpenDSR {@code request_status}. */
    public enum Status implements WireName {
        PENDING,
        IN_PROGRESS,
        COMPLETED;

        /** The status named in a stored row, or null when the name is not one. */
        static Status named(String name) {
            return WireName.named(Status.class, name);
        }
    }

    boolean erasure() {
        return type == Type.ERASURE;
    }
}
