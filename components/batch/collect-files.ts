/**
 * Turns what was picked or dropped into the list of files to upload. Files chosen one by one are all
 * offered (the upload route says why one is not an image); a folder's contents are filtered to
 * images, since a folder of photos often holds sidecar files, and the rest are only counted.
 */
export interface Collected {
  files: File[];
  /** Files inside folders that are not images. */
  skipped: number;
}

const imageExtension = /\.(jpe?g|png|webp|gif|avif|tiff?)$/i;

export const isImageFile = (file: File) => file.type.startsWith('image/') || imageExtension.test(file.name);

/** Folder order, as a file browser shows it ("img2" before "img10"). */
const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path, undefined, { numeric: true });

/**
 * Chromium uploads a folder's file under its whole relative path ("Holiday 2024/day 1/IMG_001.jpg"):
 * each is renamed to its path inside the chosen folder ("day 1/IMG_001.jpg"), which is what the
 * table and the exports then show. The bytes are not copied.
 */
function insideFolder(path: string, file: File): File {
  const name = path.replace(/^\/?[^/]*\//, '');
  return new File([file], name, { type: file.type, lastModified: file.lastModified });
}

function fromFolder(entries: { path: string; file: File }[]): Collected {
  const images = entries.filter((e) => isImageFile(e.file)).sort(byPath);
  return { files: images.map((e) => insideFolder(e.path, e.file)), skipped: entries.length - images.length };
}

/** A `webkitdirectory` input's files: every file under the chosen folder, with its relative path. */
export function collectFromFolderInput(files: FileList | null): Collected {
  return fromFolder([...(files ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file })));
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    // readEntries answers in slices (100 at a time in Chromium) until it returns none.
    const next = () =>
      reader.readEntries((slice) => {
        if (slice.length === 0) return resolve(all);
        all.push(...slice);
        next();
      }, reject);
    next();
  });
}

async function filesUnder(directory: FileSystemDirectoryEntry): Promise<{ path: string; file: File }[]> {
  const found: { path: string; file: File }[] = [];
  for (const entry of await readAll(directory.createReader())) {
    if (entry.isDirectory) found.push(...(await filesUnder(entry as FileSystemDirectoryEntry)));
    else {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      found.push({ path: entry.fullPath, file });
    }
  }
  return found;
}

/**
 * A drop's files and folders. The entries are taken while the drop event runs (the DataTransfer is
 * emptied once it returns); the folders are read afterwards.
 */
export function collectFromDrop(data: DataTransfer): Promise<Collected> {
  const loose: File[] = [];
  const folders: FileSystemDirectoryEntry[] = [];
  for (const item of [...data.items]) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry();
    if (entry?.isDirectory) folders.push(entry as FileSystemDirectoryEntry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  return (async () => {
    const inFolders = fromFolder((await Promise.all(folders.map(filesUnder))).flat());
    return { files: [...loose, ...inFolders.files], skipped: inFolders.skipped };
  })();
}
