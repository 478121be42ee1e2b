import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import './dashboard.css'

export interface ChartSeries {
  label: string
  color: string
  values: (number | null)[]
}

interface ChartProps {
  /** Point times in ms (uPlot's x axis is in seconds). */
  at: readonly number[]
  series: readonly ChartSeries[]
  height: number
  /** A sparkline: no axes, legend or cursor. */
  spark?: boolean
  format?: (value: number) => string
  /** A fixed value range, e.g. [0, 1] for shares; otherwise fitted to the data. */
  range?: [number, number]
  testId?: string
}

/** A uPlot chart that keeps its instance and only swaps the data when the figures change. */
export function UPlotChart({ at, series, height, spark = false, format, range, testId }: ChartProps) {
  const holder = useRef<HTMLDivElement>(null)
  const chart = useRef<uPlot | undefined>(undefined)
  const shape = `${spark}|${range}|${series.map((line) => `${line.label}:${line.color}`).join(',')}`
  const data: uPlot.AlignedData = [at.map((ms) => ms / 1000), ...series.map((line) => line.values)]

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt for a new shape only; data is set below
  useEffect(() => {
    const element = holder.current
    if (!element) return
    const width = Math.max(element.clientWidth, 80)
    const valueAxis: uPlot.Axis = {
      stroke: '#6b7280',
      grid: { stroke: '#eef0f4' },
      size: 56,
      ...(format ? { values: (_self, ticks) => ticks.map((tick) => format(tick)) } : {}),
    }
    chart.current = new uPlot(
      {
        width,
        height,
        legend: { show: !spark },
        cursor: { show: !spark },
        axes: spark
          ? [{ show: false }, { show: false }]
          : [{ stroke: '#6b7280', grid: { show: false } }, valueAxis],
        scales: { x: { time: true }, ...(range ? { y: { range } } : {}) },
        series: [
          {},
          ...series.map((line) => ({
            label: line.label,
            stroke: line.color,
            width: spark ? 1.5 : 2,
            ...(spark ? { fill: `${line.color}22` } : {}),
            spanGaps: true,
            // A window with one measured step still shows it.
            points: { show: true, size: spark ? 3 : 5 },
            ...(format
              ? { value: (_self: uPlot, value: number | null) => (value === null ? '—' : format(value)) }
              : {}),
          })),
        ],
      },
      data,
      element,
    )
    const resize = new ResizeObserver(() =>
      chart.current?.setSize({ width: Math.max(element.clientWidth, 80), height }),
    )
    resize.observe(element)
    return () => {
      resize.disconnect()
      chart.current?.destroy()
      chart.current = undefined
    }
  }, [shape, height])

  useEffect(() => {
    chart.current?.setData(data)
  })

  return <div ref={holder} className={spark ? 'spark' : 'chart'} data-testid={testId} />
}
