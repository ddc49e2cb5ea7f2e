package dev.tandem.cli;

import dev.tandem.config.Json;
import dev.tandem.simulate.Simulation;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem simulate}: send believable, messy customer events to a server. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description =
                "Send simulated customers' events (web, app, email, voice, store, call center) to a Tandem server.")
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--customers", defaultValue = "100", description = "how many customers (default: ${DEFAULT-VALUE})")
    int customers;

    @Option(
            names = "--days",
            defaultValue = "7",
            description = "days of history to simulate (default: ${DEFAULT-VALUE})")
    int days;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "events per second, 0 for as fast as the server takes them")
    double rate;

    @Option(
            names = "--target",
            defaultValue = "http://localhost:8080",
            description = "server URL (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--write-key", required = true, description = "write key of the source to send to")
    String writeKey;

    @Option(names = "--truth", description = "write which identifiers and events belong to which person, as JSON lines")
    Path truth;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws InterruptedException {
        Simulation.Summary summary = new Simulation(customers, days, rate, target, writeKey, truth, seed)
                .run(Json.mapper(), Clock.systemUTC(), System.out);
        System.out.printf(
                "Done: %,d events sent in %.1f s, %,d refused (see 'tandem quarantine list').%n",
                summary.sent(), summary.took().toMillis() / 1000.0, summary.rejected());
        return 0;
    }
}
