// Command spdypeer talks to berthd's streaming URLs the way kubelet, client-go and crictl do: an HTTP/1.1
// upgrade to SPDY/3.1, then moby/spdystream, the SPDY library they all use. The client logic follows
// client-go's tools/remotecommand (spdy.go, v2.go-v4.go), tools/portforward/portforward.go and
// apimachinery's util/httpstream/spdy (roundtripper.go, connection.go); it cannot be vendored here, so the
// essential steps are reproduced on top of the spdystream that Debian packages.
//
//	spdypeer exec URL [--stdin-file F] [--tty --width W --height H]
//	spdypeer portforward URL PORT --request FILE
//
// Exit codes: the remote command's own (exec, attach), 1 when port forward got an error on its error stream,
// 255 for anything else (upgrade refused, a stream without reply, a bad status). DEBUG=1 in the environment
// makes spdystream log its frame handling, "frame read error" included, on stderr.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moby/spdystream"
)

// apimachinery's createStreamResponseTimeout: how long a SYN_STREAM waits for its SYN_REPLY.
const createStreamResponseTimeout = 30 * time.Second

// client-go's transport/spdy pings an idle connection every five seconds.
const pingPeriod = 5 * time.Second

// What client-go offers for exec and attach (NewSPDYExecutorForTransports), newest first, and for port forward.
var remoteCommandProtocols = []string{"v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io",
	"v2.channel.k8s.io", "channel.k8s.io"}
var portForwardProtocols = []string{"portforward.k8s.io"}

// streamFailure is the exit code for anything that is not the remote command's own exit status.
const streamFailure = 255

func main() {
	if len(os.Args) < 3 {
		fail("usage: spdypeer exec URL [--stdin-file F] [--tty --width W --height H] | " +
			"spdypeer portforward URL PORT --request FILE")
	}
	flags := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	timeout := flags.Duration("timeout", 60*time.Second, "give up after this long")
	switch os.Args[1] {
	case "exec":
		stdinFile := flags.String("stdin-file", "", "send this file's bytes on stdin, then half-close it")
		tty := flags.Bool("tty", false, "ask for a terminal: no stderr stream, a resize stream")
		width := flags.Uint("width", 0, "terminal width sent on the resize stream")
		height := flags.Uint("height", 0, "terminal height sent on the resize stream")
		parse(flags, os.Args[3:])
		watchdog(*timeout)
		os.Exit(execute(os.Args[2], *stdinFile, *tty, uint16(*width), uint16(*height)))
	case "portforward":
		if len(os.Args) < 4 {
			fail("portforward needs URL and PORT")
		}
		request := flags.String("request", "", "bytes to send on the data stream")
		parse(flags, os.Args[4:])
		watchdog(*timeout)
		os.Exit(portForward(os.Args[2], os.Args[3], *request))
	default:
		fail("unknown command " + os.Args[1])
	}
}

func parse(flags *flag.FlagSet, args []string) {
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 {
		fail(fmt.Sprintf("unexpected arguments %q", flags.Args()))
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "spdypeer: "+message)
	os.Exit(streamFailure)
}

// watchdog ends a hung session with a message rather than leaving it to the caller's kill.
func watchdog(timeout time.Duration) {
	time.AfterFunc(timeout, func() { fail(fmt.Sprintf("timed out after %s", timeout)) })
}

// connect performs SpdyRoundTripper.RoundTrip and NewConnection: the upgrade request, the 101, then a
// client-side spdystream connection served in the background.
func connect(rawURL string, protocols []string) (*spdystream.Connection, string, error) {
	target, err := url.Parse(rawURL)
	if err != nil {
		return nil, "", err
	}
	conn, err := net.DialTimeout("tcp", target.Host, 10*time.Second)
	if err != nil {
		return nil, "", err
	}
	// kubectl exec and crictl exec both POST to the streaming URL.
	req, err := http.NewRequest(http.MethodPost, rawURL, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Add("Connection", "Upgrade")
	req.Header.Add("Upgrade", "SPDY/3.1")
	for _, protocol := range protocols {
		req.Header.Add("X-Stream-Protocol-Version", protocol)
	}
	if err := req.Write(conn); err != nil {
		conn.Close()
		return nil, "", err
	}
	reader := bufio.NewReader(conn)
	resp, err := http.ReadResponse(reader, req)
	if err != nil {
		conn.Close()
		return nil, "", err
	}
	connection := strings.ToLower(resp.Header.Get("Connection"))
	upgrade := strings.ToLower(resp.Header.Get("Upgrade"))
	if resp.StatusCode != http.StatusSwitchingProtocols || !strings.Contains(connection, "upgrade") ||
		!strings.Contains(upgrade, "spdy/3.1") {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64*1024))
		conn.Close()
		return nil, "", fmt.Errorf("unable to upgrade connection: %d %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	// client-go hands the raw connection to spdystream, so bytes the server sent behind its 101 before the
	// client spoke would be lost there: a server must not do that.
	if reader.Buffered() > 0 {
		conn.Close()
		return nil, "", fmt.Errorf("server sent %d bytes after its 101 before any client frame; client-go drops them",
			reader.Buffered())
	}
	spdy, err := spdystream.NewConnection(conn, false)
	if err != nil {
		conn.Close()
		return nil, "", err
	}
	go spdy.Serve(rejectServerStream)
	go ping(spdy)
	return spdy, resp.Header.Get("X-Stream-Protocol-Version"), nil
}

// rejectServerStream refuses streams the server opens: neither kubelet's protocol has any, so one is a bug
// the caller must hear of (apimachinery's client connection would reply and ignore it).
func rejectServerStream(stream *spdystream.Stream) {
	fmt.Fprintf(os.Stderr, "spdypeer: server opened stream %d, headers %v\n", stream.Identifier(), stream.Headers())
	stream.Refuse()
}

// ping is NewClientConnectionWithPings: a ping every pingPeriod until the connection ends.
func ping(conn *spdystream.Connection) {
	ticker := time.NewTicker(pingPeriod)
	defer ticker.Stop()
	for {
		select {
		case <-conn.CloseChan():
			return
		case <-ticker.C:
			if _, err := conn.Ping(); err != nil {
				fmt.Fprintf(os.Stderr, "spdypeer: ping failed: %v\n", err)
				return
			}
		}
	}
}

// session keeps the streams it made, so that closing resets them first, as apimachinery's connection.Close.
type session struct {
	conn    *spdystream.Connection
	streams []*spdystream.Stream
}

// create is connection.CreateStream: SYN_STREAM, then wait for the SYN_REPLY.
func (s *session) create(headers http.Header) (*spdystream.Stream, error) {
	stream, err := s.conn.CreateStream(headers, nil, false)
	if err != nil {
		return nil, err
	}
	if err := stream.WaitTimeout(createStreamResponseTimeout); err != nil {
		return nil, fmt.Errorf("no reply to stream %v: %v", headers, err)
	}
	s.streams = append(s.streams, stream)
	return stream, nil
}

func (s *session) close() {
	for _, stream := range s.streams {
		stream.Reset()
	}
	s.conn.Close()
}

func header(streamType string) http.Header {
	headers := http.Header{}
	headers.Set("streamType", streamType)
	return headers
}

// execute is spdyStreamExecutor.Stream with the protocol handler the server chose; exec and attach alike.
func execute(rawURL, stdinFile string, tty bool, width, height uint16) int {
	var stdin io.Reader
	if stdinFile != "" {
		file, err := os.Open(stdinFile)
		if err != nil {
			fail(err.Error())
		}
		defer file.Close()
		stdin = file
	}
	conn, protocol, err := connect(rawURL, remoteCommandProtocols)
	if err != nil {
		fail(err.Error())
	}
	s := &session{conn: conn}
	defer s.close()

	// createStreams of v2, plus v3's resize stream
	errorStream, err := s.create(header("error"))
	if err != nil {
		fail(err.Error())
	}
	var remoteStdin, remoteStdout, remoteStderr, resize *spdystream.Stream
	if stdin != nil {
		if remoteStdin, err = s.create(header("stdin")); err != nil {
			fail(err.Error())
		}
	}
	if remoteStdout, err = s.create(header("stdout")); err != nil {
		fail(err.Error())
	}
	if !tty {
		if remoteStderr, err = s.create(header("stderr")); err != nil {
			fail(err.Error())
		}
	}
	if tty && protocol != "v2.channel.k8s.io" && protocol != "channel.k8s.io" {
		if resize, err = s.create(header("resize")); err != nil {
			fail(err.Error())
		}
	}

	errorChan := watchErrorStream(errorStream, protocol)
	if resize != nil && width > 0 && height > 0 {
		// remotecommand.TerminalSize has no JSON tags: {"Width":W,"Height":H}
		if err := json.NewEncoder(resize).Encode(struct{ Width, Height uint16 }{width, height}); err != nil {
			fail("resize: " + err.Error())
		}
	}
	if remoteStdin != nil {
		copyStdin(stdin, remoteStdin)
	}
	var wg sync.WaitGroup
	copyOutput(&wg, os.Stdout, remoteStdout)
	if remoteStderr != nil {
		copyOutput(&wg, os.Stderr, remoteStderr)
	}
	wg.Wait()
	return exitCode(<-errorChan)
}

// copyStdin is v2's copyStdin: send, then half-close; and also half-close when the server ends stdin first.
func copyStdin(stdin io.Reader, remote *spdystream.Stream) {
	var once sync.Once
	go func() {
		defer once.Do(func() { remote.Close() })
		if _, err := io.Copy(remote, stdin); err != nil {
			fmt.Fprintf(os.Stderr, "spdypeer: stdin: %v\n", err)
		}
	}()
	go func() {
		defer once.Do(func() { remote.Close() })
		io.Copy(io.Discard, remote)
	}()
}

func copyOutput(wg *sync.WaitGroup, local io.Writer, remote *spdystream.Stream) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer io.Copy(io.Discard, remote)
		if _, err := io.Copy(local, remote); err != nil {
			fmt.Fprintf(os.Stderr, "spdypeer: output: %v\n", err)
		}
	}()
}

type remoteError struct {
	code    int
	message string
}

// watchErrorStream reads the whole error stream and decodes it as the negotiated version does.
func watchErrorStream(stream io.Reader, protocol string) <-chan *remoteError {
	result := make(chan *remoteError, 1)
	go func() {
		message, err := io.ReadAll(stream)
		switch {
		case err != nil && err != io.EOF:
			result <- &remoteError{streamFailure, "error reading from error stream: " + err.Error()}
		case len(message) == 0:
			result <- nil
		case protocol == "v4.channel.k8s.io" || protocol == "v5.channel.k8s.io":
			result <- decodeStatus(message)
		default:
			result <- &remoteError{streamFailure, "error executing remote command: " + string(message)}
		}
	}()
	return result
}

// status holds what errorDecoderV4 reads of a metav1.Status.
type status struct {
	Status  string `json:"status"`
	Message string `json:"message"`
	Reason  string `json:"reason"`
	Details *struct {
		Causes []struct {
			Type    string `json:"reason"`
			Message string `json:"message"`
		} `json:"causes"`
	} `json:"details"`
}

func decodeStatus(message []byte) *remoteError {
	var s status
	if err := json.Unmarshal(message, &s); err != nil {
		return &remoteError{streamFailure, fmt.Sprintf("error stream protocol error: %v in %q", err, message)}
	}
	switch s.Status {
	case "Success":
		return nil
	case "Failure":
		if s.Reason != "NonZeroExitCode" {
			return &remoteError{streamFailure, s.Message}
		}
		if s.Details == nil {
			return &remoteError{streamFailure, "error stream protocol error: details must be set"}
		}
		for _, cause := range s.Details.Causes {
			if cause.Type != "ExitCode" {
				continue
			}
			rc, err := strconv.ParseUint(cause.Message, 10, 8)
			if err != nil {
				return &remoteError{streamFailure, fmt.Sprintf("error stream protocol error: invalid exit code value %q", cause.Message)}
			}
			return &remoteError{int(rc), ""}
		}
		return &remoteError{streamFailure, "error stream protocol error: no ExitCode cause given"}
	default:
		return &remoteError{streamFailure, "error stream protocol error: unknown error"}
	}
}

func exitCode(err *remoteError) int {
	if err == nil {
		return 0
	}
	if err.message != "" {
		fmt.Fprintln(os.Stderr, "spdypeer: "+err.message)
	}
	return err.code
}

// portForward is PortForwarder.handleConnection for one local connection whose bytes are the request file.
func portForward(rawURL, port, requestFile string) int {
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		fail("bad port " + port)
	}
	request, err := os.Open(requestFile)
	if err != nil {
		fail(err.Error())
	}
	defer request.Close()
	conn, _, err := connect(rawURL, portForwardProtocols)
	if err != nil {
		fail(err.Error())
	}
	s := &session{conn: conn}
	defer s.close()

	headers := header("error")
	headers.Set("port", port)
	headers.Set("requestID", "0")
	errorStream, err := s.create(headers)
	if err != nil {
		fail(err.Error())
	}
	// the client never writes to the error stream
	errorStream.Close()
	type readAllResult struct {
		message []byte
		err     error
	}
	errorChan := make(chan readAllResult, 1)
	go func() {
		message, err := io.ReadAll(errorStream)
		errorChan <- readAllResult{message, err}
	}()

	headers.Set("streamType", "data")
	dataStream, err := s.create(headers)
	if err != nil {
		fail(err.Error())
	}
	localError := make(chan struct{})
	remoteDone := make(chan struct{})
	go func() {
		if _, err := io.Copy(os.Stdout, dataStream); err != nil {
			fmt.Fprintf(os.Stderr, "spdypeer: copying from the data stream: %v\n", err)
		}
		close(remoteDone)
	}()
	go func() {
		defer dataStream.Close()
		if _, err := io.Copy(dataStream, request); err != nil {
			fmt.Fprintf(os.Stderr, "spdypeer: copying to the data stream: %v\n", err)
			close(localError)
		}
	}()
	select {
	case <-remoteDone:
	case <-localError:
	}
	dataStream.Reset()

	result := <-errorChan
	switch {
	case result.err != nil && !errors.Is(result.err, io.EOF):
		fmt.Fprintf(os.Stderr, "spdypeer: reading from the error stream: %v\n", result.err)
		return 1
	case len(result.message) > 0:
		fmt.Fprintf(os.Stderr, "%s\n", result.message)
		return 1
	}
	return 0
}
