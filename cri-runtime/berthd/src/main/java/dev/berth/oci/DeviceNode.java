package dev.berth.oci;

import dev.berth.sys.DeviceNumber;

/**
 * One entry of linux.devices: a host device node as runc recreates it in the container.
 *
 * @param path     where it appears in the container
 * @param type     {@code 'c'} or {@code 'b'}
 * @param fileMode the host node's permission bits, which runc gives the new node
 */
record DeviceNode(String path, char type, DeviceNumber number, int fileMode, int uid, int gid) {}
