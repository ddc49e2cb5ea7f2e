package dev.tandem.simulate;

import java.util.List;

/**
 * One simulated person and every identifier they really have.
 *
 * @param sharedTabletId a device the household shares with another customer, or null
 * @param phoneDigits    national number, ten digits, North American numbering
 */
record Customer(
        String personId,
        String userId,
        String firstName,
        String lastName,
        String email,
        String phoneDigits,
        List<String> browserIds,
        String phoneDeviceId,
        String advertisingId,
        String sharedTabletId,
        String voiceId,
        boolean loyal) {}
