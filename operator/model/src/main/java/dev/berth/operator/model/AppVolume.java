package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A volume mounted into the App's container, from exactly one source. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value =
                "[has(self.emptyDir), has(self.configMap), has(self.secret), has(self.persistentVolumeClaim)].exists_one(x, x)",
        message = "exactly one of emptyDir, configMap, secret and persistentVolumeClaim must be set")
public class AppVolume {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    private String name;

    @Required
    @Pattern("^/.*")
    private String mountPath;

    private EmptyDirSource emptyDir;
    private ConfigMapSource configMap;
    private SecretSource secret;
    private PersistentVolumeClaimSource persistentVolumeClaim;
    private Boolean readOnly;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getMountPath() {
        return mountPath;
    }

    public void setMountPath(String mountPath) {
        this.mountPath = mountPath;
    }

    public EmptyDirSource getEmptyDir() {
        return emptyDir;
    }

    public void setEmptyDir(EmptyDirSource emptyDir) {
        this.emptyDir = emptyDir;
    }

    public ConfigMapSource getConfigMap() {
        return configMap;
    }

    public void setConfigMap(ConfigMapSource configMap) {
        this.configMap = configMap;
    }

    public SecretSource getSecret() {
        return secret;
    }

    public void setSecret(SecretSource secret) {
        this.secret = secret;
    }

    public PersistentVolumeClaimSource getPersistentVolumeClaim() {
        return persistentVolumeClaim;
    }

    public void setPersistentVolumeClaim(PersistentVolumeClaimSource persistentVolumeClaim) {
        this.persistentVolumeClaim = persistentVolumeClaim;
    }

    public Boolean getReadOnly() {
        return readOnly;
    }

    public void setReadOnly(Boolean readOnly) {
        this.readOnly = readOnly;
    }
}
