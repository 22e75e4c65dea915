package dev.berth.cri;

import dev.berth.cri.v1.ImageFsInfoRequest;
import dev.berth.cri.v1.ImageFsInfoResponse;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.ImageStatusResponse;
import dev.berth.cri.v1.ListImagesRequest;
import dev.berth.cri.v1.ListImagesResponse;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.PullImageResponse;
import dev.berth.cri.v1.RemoveImageRequest;
import dev.berth.cri.v1.RemoveImageResponse;
import dev.berth.cri.v1.StreamImagesRequest;
import dev.berth.cri.v1.StreamImagesResponse;
import dev.berth.cri.validation.Requests;
import dev.berth.imagestore.ImageRecord;
import dev.berth.imagestore.ImageService;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/** CRI ImageService: validates, calls {@link ImageService}, maps to protobuf. Nothing else. */
public final class ImageServiceRpc extends ImageServiceGrpc.ImageServiceImplBase {

    private final ImageService images;
    private final ImageProtos protos;

    public ImageServiceRpc(ImageService images, ImageProtos protos) {
        this.images = images;
        this.protos = protos;
    }

    @Override
    public void listImages(ListImagesRequest request, StreamObserver<ListImagesResponse> observer) {
        Rpc.unary("ListImages", observer, () -> {
            String filter = Requests.image("filter.image", request.getFilter().getImage(), false);
            ListImagesResponse.Builder response = ListImagesResponse.newBuilder();
            for (ImageRecord image : images.list(filter)) {
                response.addImages(protos.image(image));
            }
            return response.build();
        });
    }

    /** CRI list streaming (kubelet's CRIListStreaming gate): ListImages' answer in batches. */
    @Override
    public void streamImages(StreamImagesRequest request, StreamObserver<StreamImagesResponse> observer) {
        listImages(
                ListImagesRequest.newBuilder().setFilter(request.getFilter()).build(),
                ListStreamingRpc.batching(
                        observer,
                        ListImagesResponse::getImagesList,
                        batch -> StreamImagesResponse.newBuilder()
                                .addAllImages(batch)
                                .build()));
    }

    @Override
    public void imageStatus(ImageStatusRequest request, StreamObserver<ImageStatusResponse> observer) {
        Rpc.unary("ImageStatus", observer, () -> {
            String name = Requests.image("image", request.getImage(), true);
            Optional<ImageRecord> found = images.find(name);
            ImageStatusResponse.Builder response = ImageStatusResponse.newBuilder();
            if (found.isPresent()) {
                response.setImage(protos.image(found.get()));
                if (request.getVerbose()) {
                    response.putInfo("info", protos.verboseInfo(found.get()));
                }
            }
            return response.build();
        });
    }

    @Override
    public void pullImage(PullImageRequest request, StreamObserver<PullImageResponse> observer) {
        Rpc.unary("PullImage", observer, () -> {
            Requests.check(request);
            String name = request.getImage().getImage();
            // a client that cancels or passes its deadline leaves the pull, which stops when nobody waits
            Context call = Context.current();
            ImageRecord pulled = images.pull(
                    name,
                    protos.credentials(request.getAuth()),
                    leave -> call.addListener(c -> leave.run(), Runnable::run));
            return PullImageResponse.newBuilder().setImageRef(pulled.id()).build();
        });
    }

    @Override
    public void removeImage(RemoveImageRequest request, StreamObserver<RemoveImageResponse> observer) {
        Rpc.unary("RemoveImage", observer, () -> {
            images.remove(Requests.image("image", request.getImage(), true));
            return RemoveImageResponse.getDefaultInstance();
        });
    }

    @Override
    public void imageFsInfo(ImageFsInfoRequest request, StreamObserver<ImageFsInfoResponse> observer) {
        Rpc.unary(
                "ImageFsInfo",
                observer,
                () -> ImageFsInfoResponse.newBuilder()
                        .addImageFilesystems(protos.filesystemUsage(images.usage()))
                        .build());
    }
}
