package org.dotmac.integrations.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal SMTP server that offers STARTTLS (RFC 3207), for what GreenMail cannot do (it has no
 * STARTTLS, greenmail#135): a send that upgrades a plain connection to TLS. TLS uses GreenMail's own
 * test certificate; AUTH PLAIN is offered only once TLS is on. Records each message and how it came.
 */
public final class StartTlsSmtpServer implements AutoCloseable {

    /** A message: whether TLS was on, the AUTH PLAIN credentials given (null: none), the DATA. */
    private volatile String recipientReply = "250 ok";

    public record Received(boolean overTls, String credentials, String data) {
    }

    private final ServerSocket server;
    private final SSLContext tls;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private StartTlsSmtpServer() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = StartTlsSmtpServer.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "starttls-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static StartTlsSmtpServer start() throws Exception {
        return new StartTlsSmtpServer();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** What RCPT TO is answered from now on, e.g. "550 5.1.1 no such user" or "451 4.3.0 try again later". */
    public void answerRecipients(String reply) {
        recipientReply = reply;
    }

    public List<Received> received() {
        return received;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket plain) {
        Socket socket = plain;
        try {
            boolean overTls = false;
            String credentials = null;
            BufferedReader in = reader(socket);
            Writer out = writer(socket);
            reply(out, "220 localhost ESMTP test server");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                switch (command) {
                    case "EHLO" -> reply(out, "250-localhost\r\n" + (overTls ? "250-AUTH PLAIN\r\n" : "250-STARTTLS\r\n") + "250 8BITMIME");
                    case "STARTTLS" -> {
                        reply(out, "220 ready to start TLS");
                        SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                        secured.setUseClientMode(false);
                        secured.startHandshake();
                        socket = secured;
                        in = reader(socket);
                        out = writer(socket);
                        overTls = true;
                    }
                    case "AUTH" -> {
                        String[] parts = line.split(" ");
                        String response = parts.length > 2 ? parts[2] : null;
                        if (response == null) {
                            reply(out, "334 ");
                            response = in.readLine();
                        }
                        credentials = new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8);
                        reply(out, "235 authenticated");
                    }
                    case "DATA" -> {
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        StringBuilder data = new StringBuilder();
                        for (String body = in.readLine(); body != null && !body.equals("."); body = in.readLine()) {
                            data.append(body).append("\r\n");
                        }
                        received.add(new Received(overTls, credentials, data.toString()));
                        reply(out, "250 queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    case "RCPT" -> reply(out, recipientReply);
                    case "HELO", "MAIL", "RSET", "NOOP" -> reply(out, "250 ok");
                    default -> reply(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to record
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    private static Writer writer(Socket socket) throws IOException {
        return new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1);
    }

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }
}
