package dev.tandem.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read as a JSON tree that remembers where each value stood, so that a check on
 * any value can name the file and the line. Paths are JSON pointers such as {@code /sources/0/name}.
 */
public final class LocatedYaml {
    private final Path file;
    private final JsonNode root;
    private final Map<String, JsonLocation> locations;

    private LocatedYaml(Path file, JsonNode root, Map<String, JsonLocation> locations) {
        this.file = file;
        this.root = root;
        this.locations = locations;
    }

    public static LocatedYaml read(Path file) {
        try {
            return parse(file, Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException("The file " + file
                    + " does not exist; create it, or pass the right path (--config for the workspace file).");
        } catch (IOException e) {
            throw new ConfigException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Reads YAML text; {@code name} stands for the file in messages. */
    public static LocatedYaml parse(Path name, String text) {
        Path file = name;
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            Map<String, JsonLocation> locations = new HashMap<>();
            JsonToken first = p.nextToken();
            JsonNode root = first == null ? JsonNodeFactory.instance.objectNode() : value(p, "", locations);
            return new LocatedYaml(file, root, locations);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigException(file
                    + (at == null ? "" : " line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": not valid YAML: " + e.getOriginalMessage() + ". Fix the syntax there, then start again.");
        } catch (IOException e) {
            throw new ConfigException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    private static JsonNode value(JsonParser p, String path, Map<String, JsonLocation> locations) throws IOException {
        locations.put(path, p.currentTokenLocation());
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    object.set(name, value(p, path + "/" + name, locations));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(p, path + "/" + i++, locations));
                }
                yield array;
            }
            case VALUE_NULL -> nodes.nullNode();
            case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(p.getBooleanValue());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDecimalValue());
            default -> nodes.textNode(p.getText());
        };
    }

    /** The same file's locations with another root: a workspace with some of its objects put back as they were approved. */
    public LocatedYaml withRoot(JsonNode other) {
        return new LocatedYaml(file, other, locations);
    }

    public JsonNode root() {
        return root;
    }

    /** An error about the value at {@code path}, naming the file, the line and the fix. */
    public ConfigException error(String path, String problem) {
        JsonLocation at = null;
        for (String p = path; at == null && p != null; p = p.isEmpty() ? null : p.substring(0, p.lastIndexOf('/'))) {
            at = locations.get(p);
        }
        String where = at == null ? "" : " line " + at.getLineNr();
        return new ConfigException(file + where + " (" + (path.isEmpty() ? "/" : path) + "): " + problem);
    }
}
