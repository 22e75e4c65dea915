package dev.berth.network;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What DEL needs from an ADD, kept on disk like libcni's result cache: the network as it was when the pod
 * was attached (the conf dir may change meanwhile), the host ports, and the final result for prevResult.
 */
record CachedAttachment(
        String podId, String networkName, String ifName, JsonNode network, JsonNode portMappings, JsonNode result) {}
