package dev.tandem.protect;

import dev.tandem.config.ConfigNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code classification} section of tandem.yaml: classes for explicit paths, matchers on key
 * names and on values (on top of the built-in ones unless {@code defaults: false}), and whether
 * restricted fields are removed at collection ({@code removeRestricted}, default true).
 *
 * <p>Key names are compared without case and without {@code _ - . space}, so {@code card_number},
 * {@code cardNumber} and {@code Card-Number} are one name.
 */
public record Classification(
        Map<String, FieldClass> paths, List<Matcher> keys, List<Matcher> values, boolean removeRestricted) {
    private static final Set<String> FIELDS = Set.of("removeRestricted", "fields", "keys", "values", "defaults");

    /**
     * A bare {@code name} is a person's only among traits ({@code traits.name}, {@code context.traits.name});
     * elsewhere it names a product, a page or a plan (Segment's e-commerce and page specs). The classifier applies it there only.
     */
    static final Matcher PERSON_NAME = key("^name$", FieldClass.PERSONAL, "names");

    static final List<Matcher> DEFAULT_KEYS = List.of(
            PERSON_NAME,
            key(
                    "^(password|passwd|pwd|passcode|passphrase|pin|secret|clientsecret|apikey|apisecret|privatekey)$",
                    FieldClass.RESTRICTED,
                    "passwords and secrets"),
            key(
                    "(accesstoken|refreshtoken|authtoken|idtoken|bearertoken|sessiontoken|authorization)$",
                    FieldClass.RESTRICTED,
                    "tokens"),
            key(
                    "^(ssn|socialsecuritynumber|nationalid|nationalidnumber|passport|passportnumber|taxid|taxnumber|driverslicense"
                            + "|driverlicense|driverslicensenumber|idcardnumber)$",
                    FieldClass.RESTRICTED,
                    "government ids"),
            key(
                    "^(cardnumber|creditcard|creditcardnumber|ccnumber|ccnum|pan|cvv|cvv2|cvc|securitycode|cardsecuritycode)$",
                    FieldClass.RESTRICTED,
                    "payment cards"),
            key(
                    "^(diagnosis|diagnoses|medicalcondition|medicalrecord|healthcondition|healthdata|medication|medications|prescription"
                            + "|bloodtype)$",
                    FieldClass.RESTRICTED,
                    "health data"),
            key(
                    "^(email|emailaddress|mail|phone|phonenumber|mobile|mobilenumber|tel|telephone)$",
                    FieldClass.PERSONAL,
                    "contact details"),
            key(
                    "^(firstname|lastname|fullname|givenname|familyname|surname|middlename|displayname)$",
                    FieldClass.PERSONAL,
                    "names"),
            key(
                    "^(address|street|streetaddress|address1|address2|line1|line2|postalcode|zip|zipcode|postcode)$",
                    FieldClass.PERSONAL,
                    "addresses"),
            key(
                    "^(ip|ipaddress|birthday|birthdate|dateofbirth|dob|latitude|longitude)$",
                    FieldClass.PERSONAL,
                    "IP, birth date, location"),
            key("^(deviceid|advertisingid|idfa|idfv|gaid|adid|androidid)$", FieldClass.PERSONAL, "device ids"));

    static final Matcher EMAIL = new Matcher(
            Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"),
            FieldClass.PERSONAL,
            "email addresses",
            text -> text.indexOf('@') > 0);

    static final List<Matcher> DEFAULT_VALUES = List.of(
            new Matcher(
                    Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b"),
                    FieldClass.RESTRICTED,
                    "US social security numbers",
                    text -> text.length() >= 11 && text.indexOf('-', 3) >= 0),
            new Matcher(
                    Pattern.compile("^eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\."),
                    FieldClass.RESTRICTED,
                    "JSON web tokens",
                    text -> text.startsWith("eyJ")),
            EMAIL);

    /** Built-in paths Segment's libraries fill with personal data. */
    static final Map<String, FieldClass> DEFAULT_PATHS = Map.of(
            "context.ip", FieldClass.PERSONAL,
            "context.device.id", FieldClass.PERSONAL,
            "context.device.advertisingId", FieldClass.PERSONAL,
            "context.location.latitude", FieldClass.PERSONAL,
            "context.location.longitude", FieldClass.PERSONAL);

    public static Classification defaults() {
        return new Classification(DEFAULT_PATHS, DEFAULT_KEYS, DEFAULT_VALUES, true);
    }

    public static Classification from(ConfigNode section) {
        if (section.isMissing()) {
            return defaults();
        }
        section.fields(FIELDS, "'classification'");
        boolean defaults =
                section.get("defaults").isMissing() || section.get("defaults").bool("'defaults'");
        boolean remove = section.get("removeRestricted").isMissing()
                || section.get("removeRestricted").bool("'removeRestricted'");
        Map<String, FieldClass> paths = new LinkedHashMap<>(defaults ? DEFAULT_PATHS : Map.of());
        ConfigNode fields = section.get("fields");
        if (!fields.isMissing()) {
            for (var e : fields.fields(null, "'fields' (paths such as properties.card_number: restricted)")) {
                if (!e.getKey().matches("(traits|properties|context)(\\.[^.]+)+")) {
                    throw e.getValue()
                            .error(
                                    "'" + e.getKey()
                                            + "' is not a field path; write one such as properties.card_number or "
                                            + "traits.email (traits, properties or context, then keys separated by dots, [] for list items).");
                }
                paths.put(e.getKey(), fieldClass(e.getValue()));
            }
        }
        return new Classification(
                Map.copyOf(paths),
                matchers(section.get("keys"), defaults ? DEFAULT_KEYS : List.of()),
                matchers(section.get("values"), defaults ? DEFAULT_VALUES : List.of()),
                remove);
    }

    private static List<Matcher> matchers(ConfigNode node, List<Matcher> builtIn) {
        List<Matcher> out = new ArrayList<>();
        if (!node.isMissing()) {
            for (ConfigNode item :
                    node.list("'" + node.path().substring(node.path().lastIndexOf('/') + 1) + "'")) {
                item.fields(Set.of("match", "class"), "a matcher (match and class)");
                out.add(new Matcher(
                        item.get("match").pattern("'match'"),
                        fieldClass(item.get("class")),
                        item.get("match").text("'match'")));
            }
        }
        out.addAll(builtIn); // the workspace's own matchers are tried first
        return List.copyOf(out);
    }

    private static FieldClass fieldClass(ConfigNode node) {
        FieldClass c = FieldClass.named(node.text("the class"));
        if (c == null) {
            throw node.error("the class must be restricted, personal or general.");
        }
        return c;
    }

    private static Matcher key(String regex, FieldClass c, String description) {
        return new Matcher(Pattern.compile(regex), c, description);
    }

    /** A key name as matchers see it: lower case, without _ - . and spaces. */
    static String keyName(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c != '_' && c != '-' && c != '.' && c != ' ') {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }
}
