package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PrinterColumn;

/** What the node's last pull of the Image did, as its agent reported it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImagePullStatus {
    // the Image's status.digest the pull was of; absent when the Image had none yet and the tag was pulled
    @PrinterColumn(name = "DIGEST")
    private String digest;

    private Boolean pulled;
    // the CRI runtime's error when the pull failed
    private String message;
    // RFC 3339
    private String time;

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public Boolean getPulled() {
        return pulled;
    }

    public void setPulled(Boolean pulled) {
        this.pulled = pulled;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }
}
