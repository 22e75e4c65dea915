package dev.berth.operator.app;

import dev.berth.operator.model.AppVolume;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.List;

/** The pod's volumes, one per App volume, from its single source. */
final class VolumeMapper {

    List<Volume> volumes(List<AppVolume> volumes) {
        if (volumes == null) {
            return List.of();
        }
        return volumes.stream().map(VolumeMapper::volume).toList();
    }

    private static Quantity canonical(Quantity amount) {
        return amount == null ? null : new Quantity(CanonicalQuantity.of(amount.toString()));
    }

    private static Volume volume(AppVolume v) {
        VolumeBuilder volume = new VolumeBuilder().withName(v.getName());
        if (v.getEmptyDir() != null) {
            return volume.withNewEmptyDir()
                    .withSizeLimit(canonical(v.getEmptyDir().getSizeLimit()))
                    .endEmptyDir()
                    .build();
        }
        if (v.getConfigMap() != null) {
            return volume.withNewConfigMap()
                    .withName(v.getConfigMap().getName())
                    .endConfigMap()
                    .build();
        }
        if (v.getSecret() != null) {
            return volume.withNewSecret()
                    .withSecretName(v.getSecret().getSecretName())
                    .endSecret()
                    .build();
        }
        if (v.getPersistentVolumeClaim() != null) {
            return volume.withNewPersistentVolumeClaim()
                    .withClaimName(v.getPersistentVolumeClaim().getClaimName())
                    .withReadOnly(Boolean.TRUE.equals(v.getReadOnly()) ? Boolean.TRUE : null)
                    .endPersistentVolumeClaim()
                    .build();
        }
        // AppSpecValidator refuses such a spec before any Deployment is built.
        throw new IllegalArgumentException("volume '" + v.getName() + "' has no source");
    }
}
