import { useLingui } from '@lingui/react/macro';
import { useId, useState } from 'react';
import { Button } from '../../ui/Button';
import { presetLabels, presets, type DashboardView, type Preset } from './range';

interface RangePickerProps {
  view: DashboardView;
  onPreset: (preset: Exclude<Preset, 'custom'>) => void;
  onCustom: (first: string, last: string) => void;
}

/** Today, yesterday, last 7 days, this month, or any range of days. */
export function RangePicker({ view, onPreset, onCustom }: RangePickerProps) {
  const { t, i18n } = useLingui();
  const [custom, setCustom] = useState(view.preset === 'custom');
  const [first, setFirst] = useState(view.first);
  const [last, setLast] = useState(view.last);
  const fromId = useId();
  const toId = useId();
  const valid = first !== '' && last !== '' && first <= last;

  return (
    <section aria-label={t`Date range`} className="flex flex-col gap-3 print:hidden">
      <div role="group" aria-label={t`Show`} className="flex flex-wrap gap-2">
        {presets.map((preset) => {
          const active = custom ? preset === 'custom' : view.preset === preset;
          return (
            <Button
              key={preset}
              aria-pressed={active}
              variant={active ? 'primary' : 'secondary'}
              onClick={() => {
                if (preset === 'custom') {
                  setCustom(true);
                } else {
                  setCustom(false);
                  onPreset(preset);
                }
              }}
            >
              {i18n._(presetLabels[preset])}
            </Button>
          );
        })}
      </div>
      {custom && (
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            if (valid) onCustom(first, last);
          }}
        >
          <label htmlFor={fromId} className="flex flex-col text-base">
            {t`From`}
            <input id={fromId} type="date" value={first} max={last} onChange={(e) => setFirst(e.target.value)} className="h-touch rounded-key border-2 border-line bg-white px-3 text-lg" />
          </label>
          <label htmlFor={toId} className="flex flex-col text-base">
            {t`To`}
            <input id={toId} type="date" value={last} min={first} onChange={(e) => setLast(e.target.value)} className="h-touch rounded-key border-2 border-line bg-white px-3 text-lg" />
          </label>
          <Button type="submit" variant="primary" disabled={!valid}>
            {t`Show`}
          </Button>
        </form>
      )}
    </section>
  );
}
