package dev.tandem.govern;

import dev.tandem.identity.IdentityLookup;
import dev.tandem.profile.ProfileReader;

/** Finds the subject of a flow by any identifier, with the consent the gate reads, from the committed profile. */
final class Subjects {
    private final IdentityLookup identities;
    private final ProfileReader profiles;

    public Subjects(IdentityLookup identities, ProfileReader profiles) {
        this.identities = identities;
        this.profiles = profiles;
    }

    /** The subject named {@code type:value}; 404 when no profile has it. */
    public Subject of(String identifier) {
        return of(identities.require(identifier));
    }

    public Subject of(long profile) {
        ProfileReader.Consent consent = profiles.consent(profile);
        return new Subject(profile, consent.allowed(), consent.gpc());
    }
}
