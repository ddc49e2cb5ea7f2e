package dev.tandem.kpi;

import dev.tandem.config.ConfigNode;
import dev.tandem.protect.Classifier;
import dev.tandem.protect.FieldClass;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What keeps personal data out of KPI breakdowns, which every role reads (scope {@code kpis:read}):
 * <ul>
 *   <li>a dimension whose expression reads a field classified personal or restricted (by tandem.yaml,
 *       a steward, a key name or the values seen there) is refused when the KPI is declared;
 *   <li>a value that looks personal all the same (an email address computed from parts) is counted
 *       under {@link #WITHHELD}, never stored;
 *   <li>a value counted fewer than {@link #MIN_GROUP} times in the period asked is not listed on its
 *       own ({@link KpiQuery} folds such values into one {@code withheld} count), so a breakdown
 *       cannot single out a customer.
 * </ul>
 */
final class DimensionGuard {
    /** The smallest number of answers a breakdown lists a value for: fewer could be one person's. */
    static final int MIN_GROUP = 5;
    /** The member a personal-looking value is counted under. */
    static final String WITHHELD = "(withheld)";

    /*
     * A field an expression names: traits.email, context.traits.phone, properties["e-mail"]. Read off
     * the source text, so a path inside has(), a ternary or a function counts too; it errs towards
     * refusing (a path in a string literal is refused as well).
     */
    private static final Pattern FIELD = Pattern.compile(
            "(?<![\\w.])(traits|properties|context)((?:\\s*\\.\\s*[A-Za-z_][A-Za-z0-9_]*|\\s*\\[\\s*(?:'[^']*'|\"[^\"]*\")\\s*\\])+)");
    private static final Pattern STEP =
            Pattern.compile("\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*(?:'([^']*)'|\"([^\"]*)\")\\s*\\]");

    private final Classifier classifier;
    private final boolean enforced;

    DimensionGuard(Classifier classifier) {
        this(classifier, true);
    }

    private DimensionGuard(Classifier classifier, boolean enforced) {
        this.classifier = classifier;
        this.enforced = enforced;
    }

    /**
     * The guard for KPIs stored by approved changes, read at start: it refuses nothing, so a field a
     * steward classified personal since (or a KPI approved before this check) cannot stop the server;
     * their values are still screened and small groups still withheld.
     */
    DimensionGuard stored() {
        return new DimensionGuard(classifier, false);
    }

    /** Refuses a dimension that reads a personal or restricted field, naming the field and what to do. */
    void check(ConfigNode node, String dimension, String source) {
        if (!enforced) {
            return;
        }
        Matcher m = FIELD.matcher(source);
        while (m.find()) {
            StringBuilder path = new StringBuilder(m.group(1));
            Matcher step = STEP.matcher(m.group(2));
            while (step.find()) {
                String key =
                        step.group(1) != null ? step.group(1) : step.group(2) != null ? step.group(2) : step.group(3);
                path.append('.').append(key);
            }
            FieldClass c = classifier.classOf(path.toString());
            if (c != FieldClass.GENERAL) {
                throw node.error("the dimension '" + dimension + "' reads " + path + ", a " + c.wireName()
                        + " field; every role reads a KPI's breakdown, so a dimension may read only general fields. "
                        + "Break it down by a general field (such as properties.touchpoint), or, if " + path
                        + " holds no personal data, have a steward classify it general (PUT /v1/admin/fields/"
                        + path + ").");
            }
        }
    }

    /** The member a dimension's value is counted under: itself, or {@link #WITHHELD} when it looks personal. */
    String member(String text) {
        if (classifier.classOfValue(text) != FieldClass.GENERAL || WITHHELD.equals(text)) {
            return WITHHELD;
        }
        return text;
    }

    static boolean listable(long n) {
        return n >= MIN_GROUP;
    }
}
