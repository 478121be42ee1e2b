// Runs inside a page (added with page.addScriptTag), so plain browser JavaScript: the loudest
// moment, over `ms`, of what the page plays from a call — every remote audio element the call
// attached, measured with an analyser.
window.kefuLoudestHeard = async (ms) => {
  const elements = [...document.querySelectorAll('[data-testid="voice-speakers"] audio')]
  const context = new AudioContext()
  const analysers = elements
    .filter((element) => element.srcObject instanceof MediaStream)
    .map((element) => {
      const analyser = context.createAnalyser()
      context.createMediaStreamSource(element.srcObject).connect(analyser)
      return analyser
    })
  const samples = new Float32Array(2048)
  let loudest = 0
  const until = performance.now() + ms
  while (performance.now() < until) {
    for (const analyser of analysers) {
      analyser.getFloatTimeDomainData(samples)
      const rms = Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length)
      loudest = Math.max(loudest, rms)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  await context.close()
  return loudest
}
