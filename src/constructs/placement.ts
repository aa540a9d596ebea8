/**
 * Where a construct's objects go when it is used on its own: the namespace (by default the chart's, as cdk8s-plus
 * does) and the application they are part of. The platform chart passes both explicitly.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformIdentity } from '../description/names/workloads';

/** Props every construct of the library shares. */
export interface PlacementProps {
  /**
   * Namespace of every object the construct creates.
   * @default the chart's namespace (`Chart.of(this).namespace`)
   */
  readonly namespace?: string;
  /**
   * The application the objects belong to: their `app.kubernetes.io/part-of` label.
   * @default the namespace
   */
  readonly partOf?: string;
}

/** Which construct reads the props, for its errors, and the namespace of its chart. */
export interface PropsContext {
  /** The construct's class, e.g. "Microservice". */
  readonly kind: string;
  /** The construct's path in the tree. */
  readonly path: string;
  /** The chart's namespace, if it has one. */
  readonly chartNamespace?: string;
}

/** The context of a construct's props; the chart is looked up only when `props` names no namespace. */
export function propsContext(construct: Construct, kind: string, props: PlacementProps): PropsContext {
  return { kind, path: construct.node.path, chartNamespace: props.namespace ?? Chart.of(construct).namespace };
}

/** Props that can never produce working objects: an `Error` naming the construct, the field and the fix. */
export function propsError(context: PropsContext, message: string): Error {
  return new Error(`${context.kind} ${context.path}: ${message}`);
}

/** The namespace and `part-of` name of a construct's objects; throws when neither the props nor the chart name a namespace. */
export function placement(context: PropsContext, props: PlacementProps): PlatformIdentity {
  const namespace = props.namespace ?? context.chartNamespace;
  if (!namespace) throw propsError(context, 'namespace: none set; pass `namespace` or give the chart a namespace');
  return { name: props.partOf ?? namespace, namespace };
}
