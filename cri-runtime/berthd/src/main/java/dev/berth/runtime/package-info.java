/**
 * Containers' processes: an OCI runtime with runc's CLI ({@link dev.berth.runtime.OciRuntime}) run under conmon
 * ({@link dev.berth.runtime.Conmon}), which stays each container's parent, writes its CRI log and exit file
 * ({@link dev.berth.runtime.ExitFiles}) and survives berthd restarts.
 *
 * <p>Create/start flow: {@code Conmon.create} returns once the runtime says {@code created}; {@code
 * OciRuntime.start} runs the entrypoint. After a berthd restart, {@code OciRuntime.state}/{@code list} and the
 * exit files tell what happened meanwhile; nothing needs the Java objects that created a container.
 */
package dev.berth.runtime;
