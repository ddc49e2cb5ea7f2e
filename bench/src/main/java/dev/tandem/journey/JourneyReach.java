package dev.tandem.journey;

import java.lang.management.ManagementFactory;

/**
 * The two journey measures beside the timers: the processor's throughput with ten live journeys
 * against none (same traffic, through HTTP, rounds alternated in one run after an uncounted warm-up), and a dry run of an
 * audience-entered journey over {@code profiles} stored profiles.
 */
final class JourneyReach {
    private JourneyReach() {}

    /** Events/s applied with ten journeys and with none, alternated {@code rounds} times; prints the ratio. */
    static void throughput(int customers, int events, int rounds) throws Exception {
        System.out.printf(
                "Processor with ten live journeys against none: %,d customers, then %,d events of traffic, %d rounds%n",
                customers, events, rounds);
        double none = 0;
        double ten = 0;
        // a round first that is not counted: the JIT compiles the processor's paths during the first run without
        // journeys, which otherwise counts that run slow and flatters the ratio of the first round
        drain("", customers, events, "warm-up, no journeys (not counted)");
        for (int round = 1; round <= rounds; round++) {
            double a = drain("", customers, events, "round " + round + ", no journeys");
            double b = drain(JourneyLoad.tenJourneys(), customers, events, "round " + round + ", ten journeys");
            none += a;
            ten += b;
            System.out.printf("  round %d: ten journeys at %.0f%% of none%n", round, 100 * b / a);
        }
        System.out.printf(
                "  mean: none %,.0f events/s, ten journeys %,.0f events/s: %.0f%% (target >= 80%%: %s)%n",
                none / rounds, ten / rounds, 100 * ten / none, ten >= 0.8 * none ? "met" : "NOT met");
    }

    private static double drain(String journeys, int customers, int events, String what) throws Exception {
        try (JourneyServer server = JourneyServer.start(journeys)) {
            server.send(JourneyLoad.signUps(customers));
            server.awaitProcessed(what + ", sign-ups", customers);
            // the sign-ups' own journey work (their first sends) is done before the traffic is timed: the traffic
            // pays for what it starts, not for what the sign-ups left behind
            awaitJourneysCaughtUp(server);
            CpuSnapshot before = CpuSnapshot.take(server);
            long start = System.nanoTime();
            server.send(JourneyLoad.traffic(customers, events, 7));
            server.awaitProcessed(what, customers + (long) events);
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuSnapshot after = CpuSnapshot.take(server);
            double rate = events / seconds;
            // the journeys' work between batches keeps a share of the processor's thread during a backlog: how far it
            // lags
            awaitJourneysCaughtUp(server);
            double caughtUp = (System.nanoTime() - start) / 1e9 - seconds;
            System.out.printf(
                    "  %s: %,.0f events/s; journeys caught up %.1f s after the events (%,d journey instances, %,d "
                            + "transitions; load %.1f)%n",
                    what,
                    rate,
                    caughtUp,
                    server.count("SELECT COUNT(*) FROM journey_instances"),
                    server.count("SELECT COUNT(*) FROM journey_transitions"),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            after.printSince(before, events, seconds);
            return rate;
        }
    }

    /** Waits until no journey instance is left to walk now (new, or active at a step due). */
    private static void awaitJourneysCaughtUp(JourneyServer server) throws InterruptedException {
        while (server.count("SELECT COUNT(*) FROM journey_instances WHERE status IN ('new', 'active')") > 0) {
            Thread.sleep(200);
        }
    }

    /** Builds {@code profiles} customers in an audience, then times the dry run of the journey entered on it. */
    static void dryRun(int profiles) throws Exception {
        System.out.printf("Dry run of an audience-entered journey over %,d profiles%n", profiles);
        try (JourneyServer server = JourneyServer.start(JourneyLoad.audienceJourney())) {
            // paused, so that building the profiles does not also send: the dry run ignores instances in flight
            server.admin("/v1/journeys/reach/pause");
            long start = System.nanoTime();
            server.send(JourneyLoad.signUps(profiles));
            server.awaitProcessed("building profiles", profiles);
            System.out.printf("  %,d profiles built in %.0f s%n", profiles, (System.nanoTime() - start) / 1e9);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            for (int run = 1; run <= 2; run++) {
                long t = System.nanoTime();
                long cpu = os.getProcessCpuTime();
                String result = server.admin("/v1/journeys/reach/dryrun");
                double s = (System.nanoTime() - t) / 1e9;
                System.out.printf(
                        "  dry run %d: %.1f s, %.1f s of CPU (load %.1f; target < 30 s: %s)%n    %s%n",
                        run,
                        s,
                        (os.getProcessCpuTime() - cpu) / 1e9,
                        os.getSystemLoadAverage(),
                        s < 30 ? "met" : "NOT met",
                        result.length() > 400 ? result.substring(0, 400) + "..." : result);
            }
        }
    }
}
