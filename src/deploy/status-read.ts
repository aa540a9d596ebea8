/**
 * A read of a custom resource that exposes its `status`: `CustomResource.get` registers only `apiVersion` and `kind`
 * as outputs, so a read through it has no status (pulumi/pulumi-kubernetes#1836); naming `status` among the inputs
 * makes the engine return it. Used for what a controller reports: the address Istio writes into a Gateway, the phase
 * Flagger writes into a Canary.
 */
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/** A custom resource read by id (`namespace/name`), with its `status` of type `S`. */
export class StatusRead<S> extends k8s.apiextensions.CustomResource {
  declare public readonly status: pulumi.Output<S | undefined>;

  constructor(name: string, type: { readonly apiVersion: string; readonly kind: string }, id: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions) {
    super(name, { apiVersion: type.apiVersion, kind: type.kind, status: undefined }, { ...opts, id });
  }
}
