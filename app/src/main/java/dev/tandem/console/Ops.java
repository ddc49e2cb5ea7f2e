package dev.tandem.console;

/**
 * The processor's lag and the ingest rate, read from the server's own Prometheus text: the rate is
 * the accepted count's rise since the previous reading (of any viewer), over the time between them.
 */
final class Ops {
    record Reading(double lagEvents, double lagSeconds, double accepted, Double perSecond) {}

    private double lastCount = -1;
    private long lastAt;

    synchronized Reading read(String prometheus, long nowMillis) {
        double accepted = sum(prometheus, "tandem_collect_accepted_total");
        Double rate = null;
        if (lastCount >= 0 && nowMillis > lastAt) {
            rate = Math.max(0, accepted - lastCount) * 1000.0 / (nowMillis - lastAt);
        }
        if (lastCount < 0 || nowMillis - lastAt >= 1000) {
            lastCount = accepted;
            lastAt = nowMillis;
        }
        return new Reading(
                sum(prometheus, "tandem_process_lag_events"),
                sum(prometheus, "tandem_process_lag_seconds"),
                accepted,
                rate);
    }

    /** The sum of a metric's samples over its labels (0 when the server has none yet). */
    static double sum(String prometheus, String metric) {
        double total = 0;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith(metric)
                    && (line.charAt(metric.length()) == ' ' || line.charAt(metric.length()) == '{')) {
                try {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } catch (NumberFormatException e) {
                    // a sample Prometheus writes as NaN or +Inf adds nothing a person could read
                }
            }
        }
        return total;
    }
}
