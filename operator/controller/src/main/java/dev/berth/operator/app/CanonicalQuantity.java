package dev.berth.operator.app;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * A quantity as an API server writes it back: rounded up to milli units (core/v1 {@code SetDefaults_ResourceList})
 * and in canonical form (apimachinery pkg/api/resource/quantity.go {@code CanonicalizeBytes}): a binary-suffixed
 * amount of at least 1024 that is whole keeps a binary suffix with the largest exact power of 1024; everything
 * else is written with the largest decimal SI suffix that keeps the number whole ("0.5" is "500m", "1000" is "1k").
 * Desired objects carry amounts in this form where JOSDK's server-side-apply matcher compares them as written (an
 * emptyDir's sizeLimit): "1024Mi" would otherwise never match the server's "1Gi" and be applied again each reconcile.
 */
public final class CanonicalQuantity {
    private static final List<String> DECIMAL = List.of("m", "", "k", "M", "G", "T", "P", "E");
    private static final List<String> BINARY = List.of("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
    private static final BigDecimal KI = BigDecimal.valueOf(1024);

    private CanonicalQuantity() {}

    public static String of(String amount) {
        Quantity quantity = new Quantity(amount);
        String format = quantity.getFormat() == null ? "" : quantity.getFormat();
        if (format.startsWith("e") || format.startsWith("E")) {
            return amount; // rare enough to leave as written: one extra apply per reconcile at worst
        }
        BigDecimal value = Quantity.getAmountInBytes(quantity).setScale(3, RoundingMode.CEILING);
        if (value.signum() == 0) {
            return "0";
        }
        if (format.endsWith("i") && value.abs().compareTo(KI) >= 0 && isWhole(value)) {
            BigDecimal n = value.stripTrailingZeros();
            int exponent = 0;
            while (exponent < BINARY.size() - 1 && isWhole(n.divide(KI))) {
                n = n.divide(KI);
                exponent++;
            }
            return n.toBigIntegerExact() + BINARY.get(exponent);
        }
        for (int i = DECIMAL.size() - 1; i >= 0; i--) {
            BigDecimal n = value.movePointLeft(3 * (i - 1));
            if (isWhole(n)) {
                return n.toBigIntegerExact() + DECIMAL.get(i);
            }
        }
        throw new IllegalStateException("unreachable: " + amount + " is whole in milli units");
    }

    private static boolean isWhole(BigDecimal n) {
        return n.stripTrailingZeros().scale() <= 0
                || n.remainder(BigDecimal.ONE).compareTo(BigDecimal.ZERO) == 0;
    }
}
