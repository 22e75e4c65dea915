"""Runs a command on the slave side of a new pseudo-terminal, for tests that type at it.

usage: pty-driver.py ROWS COLS COMMAND...
The command's terminal output is copied to stdout as it comes. Lines on stdin steer the terminal:
  S <hex>        type these bytes
  R <rows> <cols> resize (TIOCSWINSZ on the master; the kernel sends SIGWINCH to the foreground group)
Exits with the command's exit status (128+N for a signal).
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios


def winsize(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def main():
    rows, cols, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    pid, master = pty.fork()  # the child is a session leader with the slave as its controlling terminal
    if pid == 0:
        winsize(0, rows, cols)
        os.execvp(argv[0], argv)
    stdin = sys.stdin.buffer.raw
    pending = b""
    stdin_open = True
    while True:
        fds = [master] + ([stdin] if stdin_open else [])
        readable, _, _ = select.select(fds, [], [], 0.5)
        if master in readable:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the slave's last holder closed it
                data = b""
            if not data:
                break
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        if stdin_open and stdin in readable:
            chunk = os.read(stdin.fileno(), 4096)
            if not chunk:
                stdin_open = False
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                words = line.decode().split()
                if words and words[0] == "S":
                    os.write(master, bytes.fromhex(words[1]))
                elif words and words[0] == "R":
                    winsize(master, int(words[1]), int(words[2]))
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


main()
