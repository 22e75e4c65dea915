package dev.berth.imagestore;

/** One layer of a stored image: its compressed blob, its uncompressed diff ID and its snapshot's chain ID. */
public record LayerRecord(String digest, String mediaType, long size, String diffId, String chainId) {}
