// Loaded into a page by screenshotVariance() in browser.ts: the standard deviation of a PNG's grey levels.
window.kefuScreenshotVariance = async (base64) => {
  const image = new Image()
  image.src = `data:image/png;base64,${base64}`
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = image.width
  canvas.height = image.height
  const context = canvas.getContext('2d')
  context.drawImage(image, 0, 0)
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
  let sum = 0
  let squares = 0
  const count = data.length / 4
  for (let i = 0; i < data.length; i += 4) {
    const grey = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]
    sum += grey
    squares += grey * grey
  }
  const mean = sum / count
  return Math.sqrt(squares / count - mean * mean)
}
