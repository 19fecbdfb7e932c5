/**
 * A horizontal or vertical bar chart on ECharts (only the bar chart, grid and tooltip are bundled). A click on
 * a bar hands its index back, so a chart is as clickable as the tile it sits in.
 */
import { BarChart as EchartsBar } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([EchartsBar, GridComponent, TooltipComponent, CanvasRenderer]);

export interface BarChartProps {
  labels: string[];
  values: number[];
  horizontal?: boolean;
  colour?: string;
  /** One colour per bar, instead of `colour`. */
  colours?: string[];
  height?: number;
  onBarClick?: (index: number) => void;
  ariaLabel: string;
}

export function BarChart({ labels, values, horizontal = false, colour = '#1f6feb', colours, height = 180, onBarClick, ariaLabel }: BarChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickHandler = useRef(onBarClick);
  useEffect(() => {
    clickHandler.current = onBarClick;
  });

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    instance.on('click', (params) => clickHandler.current?.(params.dataIndex));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    chart.current = instance;
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const categoryAxis = { type: 'category' as const, data: labels, inverse: horizontal, axisLabel: { interval: 0, fontSize: 11 } };
    const valueAxis = { type: 'value' as const, minInterval: 1 };
    chart.current?.setOption({
      animation: false,
      grid: { left: horizontal ? 8 : 32, right: 16, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: [
        {
          type: 'bar',
          data: colours ? values.map((value, index) => ({ value, itemStyle: { color: colours[index] ?? colour } })) : values,
          itemStyle: { color: colour },
          cursor: onBarClick ? 'pointer' : 'default',
        },
      ],
    });
  }, [labels, values, horizontal, colour, colours, onBarClick]);

  return <div ref={element} role="img" aria-label={ariaLabel} className="ledger-chart" style={{ height }} />;
}
