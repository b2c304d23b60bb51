package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.sync.Project;
import com.nexflux.integrations.core.sync.ProjectSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link ProjectSource} backed by a map per user. Counts loads. Thread-safe. */
public final class MapProjectSource implements ProjectSource {
  private record Key(UserId userId, String projectId) {}

  private final Map<Key, Project> projects = new HashMap<>();
  private int loads;

  /** No projects. */
  public MapProjectSource() {}

  /** Stores (or replaces) the user's project. */
  public synchronized MapProjectSource put(UserId userId, Project project) {
    projects.put(new Key(userId, project.id()), project);
    return this;
  }

  /** Stores a project of text files given as path, content, path, content, ... */
  public MapProjectSource putText(UserId userId, String id, String name, String... pathsAndContents) {
    if (pathsAndContents.length % 2 != 0) {
      throw new IllegalArgumentException("pairs of path and content");
    }
    List<Project.File> files = new ArrayList<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      files.add(new Project.File(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    return put(userId, new Project(id, name, files));
  }

  /** Removes the user's project. */
  public synchronized void remove(UserId userId, String projectId) {
    projects.remove(new Key(userId, projectId));
  }

  /** @return how many times {@link #load} was called */
  public synchronized int loads() {
    return loads;
  }

  @Override
  public synchronized Optional<Project> load(UserId userId, String projectId) {
    loads++;
    return Optional.ofNullable(projects.get(new Key(userId, projectId)));
  }
}
