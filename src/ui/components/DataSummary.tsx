import { RowList } from './Lists';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DatasetProfile } from '../../core/data/profile';

/** Usable rows, the rating histogram, text lengths with percentiles, and every unusable row. */
export function DataSummary({
  profile,
  maxLength,
  folded = false,
}: {
  profile: DatasetProfile;
  maxLength: number;
  /** After a run: the histograms fold to a line, opened on demand. */
  folded?: boolean;
}) {
  const charts = <Histograms profile={profile} maxLength={maxLength} />;
  return (
    <div>
      <p role="status" aria-label="Usable rows">
        {profile.usable} usable rows; {profile.badRows.length} cannot be used
        {profile.badRows.length > 0 ? ' (listed below)' : ''}.
      </p>
      {folded ? (
        <details>
          <summary>Ratings and text lengths</summary>
          {charts}
        </details>
      ) : (
        charts
      )}
      <RowList
        rows={profile.badRows}
        summary={`${profile.badRows.length} unusable row(s), by line`}
        label="Unusable rows"
        limit={500}
      />
    </div>
  );
}

/** The rating (or label) histogram and the text lengths with their percentiles. */
function Histograms({ profile, maxLength }: { profile: DatasetProfile; maxLength: number }) {
  const l = profile.lengths;
  return (
    <div className="charts two">
      <figure aria-label={profile.kind === 'labels' ? 'Rows per label' : 'Rating histogram'}>
        <figcaption>{profile.kind === 'labels' ? 'Rows per label' : 'Ratings'}</figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={profile.ratings}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="rating" />
            <YAxis />
            <Tooltip />
            <Bar dataKey="count" fill="#2f6fde" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure aria-label="Text length histogram">
        <figcaption>
          Text length ({l.unit}): median {l.p50}, 90% ≤ {l.p90}, 95% ≤ {l.p95}, 99% ≤ {l.p99}, longest {l.max}
          {l.unit === 'tokens' &&
            ` — max length ${maxLength} cuts ${l.p95 > maxLength ? 'more than 5%' : 'at most 5%'} of texts`}
        </figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={l.bins}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="upTo" />
            <YAxis />
            <Tooltip />
            <Bar dataKey="count" fill="#7a4fd6" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
