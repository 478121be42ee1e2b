/** The file-system manager both platforms return from getFileSystemManager(). */
export interface MiniFileSystem {
  readFile(options: {
    filePath: string
    success(result: { data: ArrayBuffer }): void
    fail(error: unknown): void
  }): void
}

/** Reads a temporary file (a picked photo, a recording) into memory. */
export function readMiniFile(fs: MiniFileSystem, filePath: string): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) =>
    fs.readFile({ filePath, success: (result) => resolve(result.data), fail: reject }),
  )
}

/** Plays an audio URL on a fresh InnerAudioContext, the same object on both platforms. */
export function playUrl(createContext: () => { src: string; play(): void }, url: string): void {
  const audio = createContext()
  audio.src = url
  audio.play()
}

/** A picked photo's type, from its temporary file's extension (the server reads it as that type). */
export function imageTypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase()
  return ext === 'png' ? 'image/png' : ext === 'webp' ? 'image/webp' : 'image/jpeg'
}
