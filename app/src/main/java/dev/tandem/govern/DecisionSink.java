package dev.tandem.govern;

/** Where the gate reports decisions other than a plain allow. */
public interface DecisionSink {
    /** Keeps nothing; for trying policies out. */
    DecisionSink NONE = (flow, subject, decision) -> {};

    void record(Flow flow, Subject subject, Decision decision);
}
