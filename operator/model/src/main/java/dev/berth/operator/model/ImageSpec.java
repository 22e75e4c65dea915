package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** What an {@link Image} names and how Berth keeps it resolved and pre-pulled. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageSpec {
    public static final String IMAGE_REFERENCE = "^[a-zA-Z0-9][a-zA-Z0-9._/:@-]*$";
    public static final String DURATION = "^([0-9]+(s|m|h))+$";

    // repo:tag or repo@digest; the registry client does the strict parse, the CRD only rejects obvious junk
    @Required
    @Pattern(IMAGE_REFERENCE)
    @PrinterColumn(name = "IMAGE")
    private String image;
    // names of kubernetes.io/dockerconfigjson Secrets in the Image's namespace
    private List<String> pullSecrets;
    // how often the tag is re-resolved, e.g. "5m" or "1h30m"; absent: only on spec changes
    @Pattern(DURATION)
    private String updateInterval;
    // absent: no node pre-pulls the image
    private PrePull prePull;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public List<String> getPullSecrets() {
        return pullSecrets;
    }

    public void setPullSecrets(List<String> pullSecrets) {
        this.pullSecrets = pullSecrets;
    }

    public String getUpdateInterval() {
        return updateInterval;
    }

    public void setUpdateInterval(String updateInterval) {
        this.updateInterval = updateInterval;
    }

    public PrePull getPrePull() {
        return prePull;
    }

    public void setPrePull(PrePull prePull) {
        this.prePull = prePull;
    }
}
