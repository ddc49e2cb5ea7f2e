package dev.tandem.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** Makes customers; every second household of two shares a family tablet. */
final class Population {
    private static final String[] FIRST = {
        "Ann", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara", "Liam", "Maya",
        "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Yara", "Zoe"
    };
    private static final String[] LAST = {
        "Smith",
        "Garcia",
        "Nguyen",
        "Mueller",
        "Rossi",
        "Kowalski",
        "Dubois",
        "Tanaka",
        "Okafor",
        "Silva",
        "Jensen",
        "Haddad",
        "Novak",
        "Brown",
        "Ivanova",
        "Martin"
    };
    private static final String[] DOMAINS = {"example.com", "mail.example.org", "inbox.example.net"};

    private Population() {}

    static List<Customer> generate(int count, RandomGenerator random) {
        List<Customer> customers = new ArrayList<>(count);
        String tablet = null;
        for (int i = 0; i < count; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String id = String.format("%06d", i + 1);
            String email = (first + "." + last + "." + id + "@" + DOMAINS[random.nextInt(DOMAINS.length)])
                    .toLowerCase(Locale.ROOT);
            String phone = "415" + String.format("%07d", 5_550_000 + i);
            List<String> browsers = new ArrayList<>();
            for (int b = 0; b < 1 + random.nextInt(3); b++) {
                browsers.add("ajs-" + hex(random, 16));
            }
            // Households: customers 2k and 2k+1 share a tablet in half of the households.
            String shared = null;
            if (i % 2 == 0) {
                tablet = random.nextBoolean() ? "tablet-" + hex(random, 12) : null;
                shared = tablet;
            } else {
                shared = tablet;
            }
            customers.add(new Customer(
                    "p" + id,
                    "u" + id,
                    first,
                    last,
                    email,
                    phone,
                    browsers,
                    "dev-" + hex(random, 16),
                    "ad-" + hex(random, 16),
                    shared,
                    random.nextInt(5) == 0 ? "voice-" + hex(random, 12) : null,
                    random.nextInt(3) == 0));
        }
        return customers;
    }

    static String hex(RandomGenerator random, int digits) {
        StringBuilder text = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            text.append(Character.forDigit(random.nextInt(16), 16));
        }
        return text.toString();
    }
}
