package org.dotmac.integrations.storage.file;

import org.dotmac.integrations.storage.ByteRange;
import org.dotmac.integrations.storage.ObjectContent;
import org.dotmac.integrations.storage.ObjectInfo;
import org.dotmac.integrations.storage.ObjectPage;
import org.dotmac.integrations.storage.ObjectStore;
import org.dotmac.integrations.storage.StorageOperations;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.util.IOHelper;
import org.dotmac.integrations.core.ProblemException;

/**
 * Objects as files under {@code <data-dir>/storage}. A key never becomes a path: each object is a
 * data file named by a random id, and an index entry named by the SHA-256 of its key points at it,
 * so no key, however encoded, reaches outside the folder, and "a" and "a/b" can both exist. A write
 * streams to a temporary file, then swaps the index entry atomically: readers see the old object
 * or the new one, never a mix. Listing reads the whole index: fine for development and small stores.
 */
public class FileObjectStore implements ObjectStore {

    private final Path objects;
    private final Path index;
    private final Path incoming;
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public FileObjectStore(Path root) throws IOException {
        this.objects = Files.createDirectories(root.resolve("objects"));
        this.index = Files.createDirectories(root.resolve("index"));
        this.incoming = Files.createDirectories(root.resolve("incoming"));
    }

    @Override
    public ObjectInfo put(String key, InputStream body, String contentType, Map<String, String> metadata) throws Exception {
        Path temp = Files.createTempFile(incoming, "put-", ".part");
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            long size = copy(new DigestInputStream(body, md5), temp);
            String dataName = UUID.randomUUID() + ".data";
            move(temp, objects.resolve(dataName));
            Entry entry = new Entry(key, dataName, size, "\"" + HexFormat.of().formatHex(md5.digest()) + "\"",
                    Instant.now().toEpochMilli(), contentType == null ? "application/octet-stream" : contentType, metadata);
            synchronized (lockFor(key)) {
                Optional<Entry> previous = read(key);
                writeEntry(entry);
                if (previous.isPresent()) {
                    Files.deleteIfExists(objects.resolve(previous.get().data()));
                }
            }
            return entry.info();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws IOException {
        return read(key).map(Entry::info);
    }

    @Override
    public Optional<ObjectContent> get(String key, String rangeHeader) throws IOException {
        Optional<Entry> entry = read(key);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        ObjectInfo info = entry.get().info();
        FileChannel channel;
        try {
            channel = FileChannel.open(objects.resolve(entry.get().data()), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            // replaced or deleted between the two reads: read the new state once
            Optional<Entry> now = read(key);
            if (now.isEmpty() || now.get().data().equals(entry.get().data())) {
                return Optional.empty();
            }
            return get(key, rangeHeader);
        }
        var range = ByteRange.parse(rangeHeader, info.size()).orElse(new ByteRange(0, info.size()));
        channel.position(range.offset());
        InputStream body = new BoundedInputStream(Channels.newInputStream(channel), range.length());
        return Optional.of(new ObjectContent(info, new BufferedInputStream(body, 64 * 1024), range.offset(), range.length()));
    }

    @Override
    public boolean delete(String key) throws IOException {
        synchronized (lockFor(key)) {
            Optional<Entry> entry = read(key);
            if (entry.isEmpty()) {
                return false;
            }
            Files.deleteIfExists(entryPath(key));
            Files.deleteIfExists(objects.resolve(entry.get().data()));
            return true;
        }
    }

    @Override
    public ObjectPage list(String prefix, int limit, String cursor) throws IOException {
        String after = cursor == null ? null : ObjectPage.keyOf(cursor);
        List<ObjectInfo> matching = new ArrayList<>();
        try (Stream<Path> entries = Files.list(index)) {
            for (Path path : (Iterable<Path>) entries::iterator) {
                try {
                    Entry entry = json.readValue(path.toFile(), Entry.class);
                    if ((prefix == null || entry.key().startsWith(prefix)) && (after == null || entry.key().compareTo(after) > 0)) {
                        matching.add(entry.info());
                    }
                } catch (IOException e) {
                    // an entry being replaced right now: it is listed on the next call
                }
            }
        }
        matching.sort((a, b) -> a.key().compareTo(b.key()));
        List<ObjectInfo> page = matching.subList(0, Math.min(limit, matching.size()));
        String next = matching.size() > limit ? ObjectPage.cursorAfter(page.get(page.size() - 1).key()) : null;
        return new ObjectPage(List.copyOf(page), next);
    }

    /** The upload arrives bounded by storage.max-object-size (StorageOperations), for every provider alike. */
    private long copy(InputStream in, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            return in.transferTo(out);
        } finally {
            IOHelper.close(in);
        }
    }

    private Optional<Entry> read(String key) throws IOException {
        try {
            return Optional.of(json.readValue(entryPath(key).toFile(), Entry.class));
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void writeEntry(Entry entry) throws IOException {
        Path temp = Files.createTempFile(incoming, "index-", ".json");
        Files.write(temp, json.writeValueAsBytes(entry));
        move(temp, entryPath(entry.key()));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path entryPath(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return index.resolve(HexFormat.of().formatHex(hash) + ".json");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object lockFor(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    /** An index entry: the key, its data file and what the API tells of it. */
    record Entry(String key, String data, long size, String etag, long modifiedMillis, String contentType,
            Map<String, String> metadata) {

        ObjectInfo info() {
            return new ObjectInfo(key, size, etag, Instant.ofEpochMilli(modifiedMillis), contentType, metadata);
        }
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
