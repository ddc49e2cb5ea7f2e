package dev.tandem.schedule;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Owner ids: this process and a random part, so that two schedulers (even in one process) never share one. */
final class Owners {
    private Owners() {}

    static String newOwner() {
        String host = System.getenv().getOrDefault("HOSTNAME", "host");
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return host + "/" + ProcessHandle.current().pid() + "/" + HexFormat.of().formatHex(random);
    }
}
